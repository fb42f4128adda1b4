/** Stylesheets imported for their side effect: Vite (WXT) bundles them; TypeScript only needs to know they exist. */
declare module '*.css';
