/**
 * Where a login sends the user back to: only a path inside this app (`?next=`), never another site
 * (`//evil.example`, `/\evil.example` and absolute URLs are open redirects); `fallback` otherwise.
 */
export const safeNext = (next: string | null, fallback = '/'): string =>
  next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : fallback;
