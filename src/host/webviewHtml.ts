import * as vscode from 'vscode';

/** What a panel's page is made of: its bundle under dist/webview/ and its stylesheets. */
export interface WebviewPage {
  title: string;
  /** Name of the webview bundle, e.g. "training" for dist/webview/training.js (and .css when present). */
  bundle: string;
  /** Extra stylesheets under media/, e.g. ["training.css"]. */
  styles?: string[];
  /** BCP 47 language of the page, e.g. vscode.env.language. */
  lang: string;
}

/** Webview options every panel uses: scripts on, resources only from the bundle and media/. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, 'dist', 'webview'),
      vscode.Uri.joinPath(extensionUri, 'media'),
    ],
  };
}

/**
 * The one place webview HTML is built: a strict Content Security Policy (`default-src 'none'`), one nonce'd
 * module script, styles and fonts only from the extension. Libraries are bundled, never loaded from a CDN.
 */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  // Web Crypto: the same in Node's extension host and the browser's.
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const asset = (...path: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path)).toString();
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    // Chart.js and Lit set element styles from script; no inline <style> or style="" markup is used.
    `style-src ${webview.cspSource} 'unsafe-inline'`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const styles = [asset('dist', 'webview', `${page.bundle}.css`), ...(page.styles ?? []).map((s) => asset('media', s))];
  return `<!DOCTYPE html>
<html lang="${escapeHtml(page.lang)}">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <title>${escapeHtml(page.title)}</title>
  ${styles.map((href) => `<link rel="stylesheet" href="${href}">`).join('\n  ')}
</head>
<body>
  <script type="module" nonce="${nonce}" src="${asset('dist', 'webview', `${page.bundle}.js`)}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
