import { bodyPlainText, linkedTopics, parseParagraphMarkup, slugifyTopic } from '../../src/articles/article-body';

test('topic markup becomes links, and the rest stays text exactly as typed', () => {
  expect(parseParagraphMarkup("[[Kim Kye-gwan|kim-kye-gwan]], [[North Korea]]'s envoy <b>said</b>")).toEqual([
    { type: 'topic', text: 'Kim Kye-gwan', slug: 'kim-kye-gwan' },
    { type: 'text', text: ', ' },
    { type: 'topic', text: 'North Korea', slug: 'north-korea' },
    { type: 'text', text: "'s envoy <b>said</b>" },
  ]);
});

test('broken markup is left as text', () => {
  expect(parseParagraphMarkup('a [[b c')).toEqual([{ type: 'text', text: 'a [[b c' }]);
  expect(parseParagraphMarkup('[[!!!]]')).toEqual([{ type: 'text', text: '!!!' }]);
});

test('slugs fold accents and punctuation', () => {
  expect(slugifyTopic('São Paulo')).toBe('sao-paulo');
  expect(slugifyTopic('  U.N. Security Council ')).toBe('u-n-security-council');
});

test('plain text and linked topics are read from the blocks', () => {
  const blocks = [
    { type: 'paragraph' as const, inlines: parseParagraphMarkup('One [[Japan]] two.') },
    { type: 'photo' as const, photoId: 1 },
    { type: 'paragraph' as const, inlines: parseParagraphMarkup('[[Japan|japan]] and [[Russia]].') },
  ];
  expect(bodyPlainText(blocks)).toBe('One Japan two.\n\nJapan and Russia.');
  expect(linkedTopics(blocks)).toEqual([
    { slug: 'japan', text: 'Japan' },
    { slug: 'russia', text: 'Russia' },
  ]);
});
