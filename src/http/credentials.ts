/**
 * The token a request presents: `Authorization: Bearer <token>`, or Basic
 * auth with any user name and the token as password (what Git credential
 * helpers send; a token given as the user name with an empty password works too).
 */
export function presentedToken(authorization: string | undefined): string | null {
  if (authorization === undefined) return null;
  const [scheme, value] = splitOnce(authorization.trim(), ' ');
  if (value === undefined) return null;
  if (/^bearer$/i.test(scheme) || /^token$/i.test(scheme)) return value.trim() || null;
  if (!/^basic$/i.test(scheme)) return null;
  let decoded: string;
  try {
    decoded = new TextDecoder().decode(Uint8Array.from(atob(value.trim()), (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
  const [user, password] = splitOnce(decoded, ':');
  return password !== undefined && password !== '' ? password : user || null;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
