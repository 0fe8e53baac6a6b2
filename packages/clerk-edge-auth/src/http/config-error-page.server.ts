import type { ConfigError } from "../config/config-error.js";

/**
 * The 500 a person sees when a binding is missing or malformed. It names the binding and how to
 * set it, from the error's message, which by construction never holds a binding's value.
 */
export function configErrorResponse(error: ConfigError): Response {
  console.error(`Configuration error: ${error.message}`);
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>This app is not configured</title></head>
<body><main><h1>This app is not configured</h1>
<p>The binding <code>${escapeHtml(error.binding)}</code> ${escapeHtml(error.problem)}.</p>
<p>${escapeHtml(error.howToSet)}</p></main></body></html>`;
  return new Response(html, {
    status: 500,
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}

function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}
