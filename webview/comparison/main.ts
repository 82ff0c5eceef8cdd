// The sweep comparison view's page (dist/webview/comparison.js); the page itself is webview/comparison/mount.ts.
// Bundled into dist/webview/comparison.css, which the page's HTML links.
import '../../media/comparison.css';
import { vscodeTransport } from '../common/vscodeApi';
import { mountComparison } from './mount';

mountComparison(vscodeTransport(), document.body);
