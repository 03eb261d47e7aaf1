// Text under a parsed node (HTML or XML), every descendant's, walked without recursion:
// hostile documents nest elements deeper than any call stack.
import type { AnyNode } from 'domhandler';

export function plainText(n: AnyNode): string {
  const out: string[] = [];
  const stack: AnyNode[] = [n];
  while (stack.length) {
    const c = stack.pop()!;
    if (c.type === 'text') out.push((c as unknown as { data: string }).data);
    const kids = (c as unknown as { children?: AnyNode[] }).children ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return out.join('');
}
