/** The lesson panel's entry: KaTeX's styles, and the page mounted on VS Code's transport (see lessonPage.ts). */
import 'katex/dist/katex.min.css';
import { vscodeTransport } from '../common/vscodeApi';
import { mountLessonPage } from './lessonPage';

mountLessonPage(vscodeTransport(), document.body);
