/**
 * Ref names `git check-ref-format` accepts (without --allow-onelevel or
 * --refspec-pattern; git's refs.c `check_refname_format`). From
 * git-check-ref-format(1):
 *
 *   1. They can include slash / for hierarchical (directory) grouping, but no
 *      slash-separated component can begin with a dot . or end with the
 *      sequence .lock.
 *   2. They must contain at least one /.
 *   3. They cannot have two consecutive dots .. anywhere.
 *   4. They cannot have ASCII control characters (bytes below 040, or 177 DEL),
 *      space, tilde ~, caret ^, or colon : anywhere.
 *   5. They cannot have question-mark ?, asterisk *, or open bracket [ anywhere.
 *   6. They cannot begin or end with a slash / or contain multiple
 *      consecutive slashes.
 *   7. They cannot end with a dot . .
 *   8. They cannot contain a sequence @{.
 *   9. They cannot be the single character @.
 *  10. They cannot contain a \.
 *
 * A JavaScript string additionally must not contain NUL (git sees a C string)
 * or a lone surrogate (it has no UTF-8 bytes).
 */

/** Whether git accepts `name[start, end)` as one slash-free component of a ref name. */
function isValidComponent(name: string, start: number, end: number): boolean {
  if (end === start) return false;
  if (name.charCodeAt(start) === 0x2e) return false;
  if (end - start >= 5 && name.endsWith('.lock', end)) return false;
  let last = 0;
  for (let i = start; i < end; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return false;
    switch (c) {
      case 0x20: // space
      case 0x2a: // *
      case 0x3a: // :
      case 0x3f: // ?
      case 0x5b: // [
      case 0x5c: // \
      case 0x5e: // ^
      case 0x7e: // ~
        return false;
      case 0x2e: // ..
        if (last === 0x2e) return false;
        break;
      case 0x7b: // @{
        if (last === 0x40) return false;
        break;
    }
    last = c;
  }
  return true;
}

/** True when `git check-ref-format <name>` would accept `name` (e.g. "refs/heads/main"). */
export function isValidRefName(name: string): boolean {
  if (name === '@' || !name.isWellFormed()) return false;
  let components = 0;
  let start = 0;
  for (;;) {
    const slash = name.indexOf('/', start);
    const end = slash < 0 ? name.length : slash;
    if (!isValidComponent(name, start, end)) return false;
    components++;
    if (slash < 0) break;
    start = slash + 1;
  }
  return components >= 2 && !name.endsWith('.');
}
