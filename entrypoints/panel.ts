/**
 * The panel's module (issue 8: content script <= 50 KB gzip): React, the
 * components, the store and zod, built once for the three CRMs as an ES
 * module (wxt.config.ts) and imported by the content scripts on the first
 * record page (lib/extension/panel-loader.ts). Its default export is
 * `mountPanel`.
 */
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { mountPanel } from '../components/mount.tsx';

export default defineUnlistedScript(() => mountPanel);
