import type { SectionRow } from './sections-repository';

export type SectionNode = SectionRow & { children: SectionNode[]; parent: SectionNode | null };

/**
 * The section tree, built from the few section rows: navigation, breadcrumbs and "this section
 * and its subsections" all read it instead of asking the database again.
 */
export class SectionDirectory {
  readonly topLevel: SectionNode[] = [];
  private readonly byId = new Map<number, SectionNode>();
  private readonly byPathLower = new Map<string, SectionNode>();

  constructor(rows: readonly SectionRow[]) {
    for (const row of rows) {
      const node: SectionNode = { ...row, children: [], parent: null };
      this.byId.set(row.id, node);
      this.byPathLower.set(row.path.toLowerCase(), node);
    }
    for (const node of this.byId.values()) {
      const parent = node.parent_id === null ? undefined : this.byId.get(node.parent_id);
      if (parent) {
        node.parent = parent;
        parent.children.push(node);
      } else this.topLevel.push(node);
    }
    const byPosition = (a: SectionNode, b: SectionNode) => a.position - b.position || a.name.localeCompare(b.name);
    this.topLevel.sort(byPosition);
    for (const node of this.byId.values()) node.children.sort(byPosition);
  }

  byIdOrThrow(id: number): SectionNode {
    const node = this.byId.get(id);
    if (!node) throw new Error(`Unknown section id ${id}`);
    return node;
  }

  /** Case-insensitive lookup by path ("world/asia-pacific"). */
  findByPath(path: string): SectionNode | undefined {
    return this.byPathLower.get(path.toLowerCase());
  }

  /** The section and its ancestors, outermost first: the breadcrumb. */
  trail(node: SectionNode): SectionNode[] {
    const trail: SectionNode[] = [];
    for (let n: SectionNode | null = node; n; n = n.parent) trail.unshift(n);
    return trail;
  }

  /** The ids of the section and every section under it. */
  subtreeIds(node: SectionNode): number[] {
    return [node.id, ...node.children.flatMap((child) => this.subtreeIds(child))];
  }

  topLevelOf(node: SectionNode): SectionNode {
    return this.trail(node)[0]!;
  }
}
