/** Stylesheets imported for their side effect: Vite (WXT) bundles them; TypeScript only needs to know they exist. */
declare module '*.css';
/** A stylesheet as text (Vite's `?inline`), for a shadow root (components/mount.tsx). */
declare module '*.css?inline' {
  const css: string;
  export default css;
}
