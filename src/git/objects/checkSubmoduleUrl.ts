/**
 * git 2.39.5's fsck.c `check_submodule_url`: whether a `submodule.<name>.url`
 * of a `.gitmodules` blob is one fsck refuses (gitmodulesUrl).
 *
 * - anything that looks like a command-line option ("-...");
 * - a relative URL ("./", "../", also with '\') or a "git://" URL that
 *   contains a newline once URL-decoded, or whose leading "../" and "./"
 *   are followed by ':' or '/' (CVE-2020-11008: "../:host" and "..//host"
 *   can replace the host of the superproject's URL);
 * - a URL handed to git-remote-curl ("http://", "https://", "ftp://",
 *   "ftps://", or "http::<url>"...) that credential.c cannot parse: no
 *   "<scheme>://", an empty host, or a newline in the decoded user name,
 *   password, scheme, host or path (CVE-2020-5260).
 *
 * Anything else (scp-like "host:path", "ssh://", "file://", local paths) is
 * accepted. The URL is a byte string (one char per byte), cut at its first NUL.
 */
import { urlDecode } from './urlDecode.ts';

/** `.` then `/` or `\` (dir.c `path_match_flags` with PATH_MATCH_XPLATFORM). */
function startsWithDotSlash(url: string, at: number): boolean {
  return url[at] === '.' && (url[at + 1] === '/' || url[at + 1] === '\\');
}

function startsWithDotDotSlash(url: string, at: number): boolean {
  return url[at] === '.' && startsWithDotSlash(url, at + 1);
}

/** What credential.c's `credential_from_url_gently` refuses, or leaves without a host. */
function badCurlUrl(url: string): boolean {
  const schemeEnd = url.indexOf('://');
  if (schemeEnd <= 0) return true;
  const start = schemeEnd + 3;
  const at = url.indexOf('@', start);
  const colon = url.indexOf(':', start);
  let slash = start;
  while (slash < url.length && url[slash] !== '/' && url[slash] !== '?' && url[slash] !== '#') slash++;
  const components = [url.slice(0, schemeEnd)];
  let host = start;
  if (at >= 0 && at < slash) {
    if (colon < 0 || at <= colon) {
      components.push(urlDecode(url.slice(start, at)));
    } else {
      components.push(urlDecode(url.slice(start, colon)), urlDecode(url.slice(colon + 1, at)));
    }
    host = at + 1;
  }
  if (slash === host) return true; // an empty host
  components.push(urlDecode(url.slice(host, slash)));
  let path = slash;
  while (url[path] === '/') path++;
  if (path < url.length) components.push(urlDecode(url.slice(path)));
  return components.some((component) => component.includes('\n'));
}

/** fsck.c `url_to_curl_url`: the URL git-remote-curl would get, if any. */
function curlUrl(url: string): string | undefined {
  for (const prefix of ['http::', 'https::', 'ftp::', 'ftps::']) {
    if (url.startsWith(prefix)) return url.slice(prefix.length);
  }
  for (const prefix of ['http://', 'https://', 'ftp://', 'ftps://']) {
    if (url.startsWith(prefix)) return url;
  }
  return undefined;
}

/** True when fsck would report gitmodulesUrl for this URL. */
export function isBadSubmoduleUrl(url: string): boolean {
  if (url.startsWith('-')) return true;
  if (startsWithDotSlash(url, 0) || startsWithDotDotSlash(url, 0) || url.startsWith('git://')) {
    if (urlDecode(url).includes('\n')) return true;
    let next = 0;
    let dotdots = 0;
    for (;;) {
      if (startsWithDotDotSlash(url, next)) {
        dotdots++;
        next += 3;
      } else if (startsWithDotSlash(url, next)) {
        next += 2;
      } else {
        break;
      }
    }
    return dotdots > 0 && (url[next] === ':' || url[next] === '/');
  }
  const curl = curlUrl(url);
  return curl !== undefined && badCurlUrl(curl);
}
