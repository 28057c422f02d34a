/**
 * How deep a parsed JSON value nests, measured without recursion. JSON.parse itself reads any depth,
 * but every recursive walk after it (validation, JSON.stringify in an error message, Array#toString)
 * overflows the stack on a 100,000-deep value: each reader of untrusted JSON refuses values deeper
 * than it needs, with its own code, right after parsing.
 */
export const MAX_JSON_DEPTH = 64;

/** True when `value` has arrays or objects nested more than `max` levels deep. */
export function nestsDeeperThan(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}
