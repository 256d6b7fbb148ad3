import type { SectionDirectory } from '../site/section-directory';

// The first draft of an issue from the week's stories: the top stories first (the newest story of
// each top-level section, in the navigation's order, at most five), then the rest by section in
// the same order, newest first, at most a few a section. The editor then reorders, leaves out and
// writes the introduction.

export const STORIES_PER_SECTION = 4;
export const TOP_STORIES = 5;

type WeekStory = { id: number; section_id: number; published_at: string };

export function composeReview<T extends WeekStory>(directory: SectionDirectory, week: readonly T[]): T[] {
  const bySection = new Map<number, T[]>();
  for (const section of directory.topLevel) bySection.set(section.id, []);
  const newestFirst = [...week].sort((a, b) => b.published_at.localeCompare(a.published_at) || b.id - a.id);
  for (const story of newestFirst) {
    const top = directory.topLevelOf(directory.byIdOrThrow(story.section_id));
    bySection.get(top.id)?.push(story);
  }
  const top: T[] = [];
  for (const stories of bySection.values()) if (stories.length > 0 && top.length < TOP_STORIES) top.push(stories.shift()!);
  const rest = [...bySection.values()].flatMap((stories) => stories.slice(0, STORIES_PER_SECTION - 1));
  return [...top, ...rest];
}
