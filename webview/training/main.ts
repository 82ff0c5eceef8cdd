// The training panel's page entry: the VS Code elements and the stylesheet, then the page on the real transport.
import '@vscode-elements/elements/dist/vscode-button/index.js';
// Bundled into dist/webview/training.css, which the page's HTML links.
import '../../media/training.css';
import { vscodeTransport } from '../common/vscodeApi';
import { mountTrainingPage } from './trainingPage';

mountTrainingPage(vscodeTransport(), document.body);
