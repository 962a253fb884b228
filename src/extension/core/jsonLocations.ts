// Where a JSON Pointer lands in a JSON text: the offsets the editor underlines for a payload
// problem. Pure (jsonc-parser only). When the pointer names something absent (a required
// property that is missing), the nearest enclosing value that exists is used instead, and the
// underline goes on its key so the squiggle sits on the line a reader looks at.
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';

export type Segment = string | number;

/** Decode a JSON Pointer (RFC 6901): '' → [], '/a/0/b~1c' → ['a', '0', 'b/c']. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '' || pointer === '#') return [];
  const p = pointer.startsWith('#') ? decodeURIComponent(pointer.slice(1)) : pointer;
  if (!p.startsWith('/')) throw new Error(`not a JSON Pointer: ${JSON.stringify(pointer)}`);
  return p
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export interface JsonSpan {
  /** Offsets into the text, end exclusive. */
  start: number;
  end: number;
  /** True when the pointer's target itself was found; false when an ancestor stands in for it. */
  exact: boolean;
}

/** Path segments typed against the tree: numeric segments index arrays, everything else is a key. */
function typedPath(root: Node, segments: readonly string[]): { path: Segment[]; node: Node } {
  const path: Segment[] = [];
  let node: Node = root;
  for (const seg of segments) {
    const key: Segment = node.type === 'array' && /^(0|[1-9]\d*)$/.test(seg) ? Number(seg) : seg;
    const next = findNodeAtLocation(node, [key]);
    if (!next) break;
    path.push(key);
    node = next;
  }
  return { path, node };
}

/** The span a JSON Pointer names in `text`, or the nearest existing ancestor's. Null when the text is not JSON. */
export function locatePointer(text: string, pointer: string): JsonSpan | null {
  const root = parseTree(text);
  if (!root) return null;
  const segments = parsePointer(pointer);
  const { path, node } = typedPath(root, segments);
  const exact = path.length === segments.length;
  if (exact) {
    // A scalar: the value. An object or array: its key when it has one (a whole block is noise).
    if ((node.type === 'object' || node.type === 'array') && node.parent?.type === 'property') {
      const keyNode = node.parent.children?.[0];
      if (keyNode) return { start: keyNode.offset, end: keyNode.offset + keyNode.length, exact };
    }
    if (node.type === 'object' || node.type === 'array') return { start: node.offset, end: node.offset + 1, exact };
    return { start: node.offset, end: node.offset + node.length, exact };
  }
  // Missing: underline the key of the nearest ancestor (or its opening bracket at the root).
  if (node.parent?.type === 'property') {
    const keyNode = node.parent.children?.[0];
    if (keyNode) return { start: keyNode.offset, end: keyNode.offset + keyNode.length, exact };
  }
  return { start: node.offset, end: node.offset + 1, exact };
}

/** Line and character (both 0-based) of an offset. */
export function offsetToPosition(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, character: end - lineStart };
}
