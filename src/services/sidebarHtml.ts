/**
 * The sidebar's HTML shell and its Content Security Policy. Pure (no vscode) so the policy is
 * unit-tested: nothing but the extension's own files may load, scripts only with this page's nonce.
 */

export interface SidebarHtmlParts {
  /** `webview.cspSource`: the origin of `asWebviewUri` resources. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  katexStyleUri: string;
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The policy: nothing by default; scripts by nonce; styles and fonts (KaTeX's) from the extension;
 * images from the extension too (none today). No `'unsafe-inline'` anywhere: KaTeX's inline styles
 * are applied through CSSOM (see src/webview/render.ts).
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource}`,
  ].join('; ');
}

/** A nonce from the platform's CSPRNG (Web Crypto, in Node and browsers alike). */
export function makeNonce(): string {
  const bytes = new Uint8Array(18);
  globalThis.crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export function sidebarHtml(p: SidebarHtmlParts): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(p.cspSource, p.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${attr(p.katexStyleUri)}">
<link rel="stylesheet" href="${attr(p.styleUri)}">
<title>Papers</title>
</head>
<body>
<div id="app"></div>
<script nonce="${attr(p.nonce)}" src="${attr(p.scriptUri)}"></script>
</body>
</html>`;
}
