/**
 * The canonical spelling of a web origin (`https://shop.example.com`, `http://localhost:5173`), as
 * browsers send it in the Origin header: lower-case host, no default port, no path. Null when `value`
 * is not an http(s) origin (a path, a query, credentials, or not a URL at all).
 */
export const normalizeOrigin = (value: string): string | null => {
  const trimmed = value.trim();
  if (!/^https?:\/\/[^/?#\s]+\/?$/i.test(trimmed)) return null;
  try {
    const url = new URL(trimmed);
    if (url.username || url.password) return null;
    return url.origin;
  } catch {
    return null;
  }
};
