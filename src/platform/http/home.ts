const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The small page at `/`: what this server is and where its API reference lives. */
export const homePage = (version: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Plaza API</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222}code{background:#f3f3f3;padding:0 .25em}</style>
</head>
<body>
<h1>Plaza ${escapeHtml(version)}</h1>
<p>This is the Plaza commerce API and its three faces, built from one UI kit on the same API:</p>
<ul>
<li><a href="/console/">Console</a>: the back office (staff log in with e-mail and password)</li>
<li><a href="/shop/">Web shop</a>: the demo shop; a phone-sized window is the app view</li>
<li><a href="/pos/">POS</a>: the store counter (staff log in, bound to one store)</li>
</ul>
<ul>
<li><a href="/docs">API reference</a> (interactive)</li>
<li><a href="/openapi.json">OpenAPI document</a> (<code>/openapi.json</code>, for client generators)</li>
<li><a href="/health">/health</a> and <a href="/ready">/ready</a></li>
</ul>
<p><code>/admin</code> needs an admin or staff token (<code>Authorization: Bearer plz_at_…</code>);
<code>/store</code> needs a channel's publishable key (<code>x-plaza-channel-key: pk_…</code>).</p>
</body>
</html>
`;
