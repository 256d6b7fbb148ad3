import { chooseSnippet, ELLIPSIS, SNIPPET_WORDS, snippetOfFoundWords } from '../../src/search/search-snippet';
import { withMarks, type FoundWord } from '../../src/search/word-marks';
import { MARK_END, MARK_START } from '../../src/search/search-repository';
import { snippetParts } from '../../src/search/search-page';
import { seededRandom } from '../helpers/seeded-random';

// Snippets are chosen from text FTS5 has marked (highlight()); here the marks are written by hand.
const mark = (word: string) => `${MARK_START}${word}${MARK_END}`;
const words = (from: number, count: number) => Array.from({ length: count }, (_, i) => `w${from + i}`).join(' ');
const shown = (snippet: string) =>
  snippetParts(snippet)
    .map((part) => (part.marked ? `[${part.text}]` : part.text))
    .join('');
const wordCount = (snippet: string) => shown(snippet).match(/[\p{L}\p{N}]+/gu)!.length;

test('a short body is shown whole, with its marks and no ellipsis', () => {
  expect(shown(chooseSnippet(`The ${mark('walrus')} was seen.`, 'A deck'))).toBe('The [walrus] was seen.');
});

test('in a long body, about thirty words around the marks, with an ellipsis where the text goes on', () => {
  const body = `${words(0, 100)} the ${mark('walrus')} ${words(100, 100)}.`;
  const snippet = shown(chooseSnippet(body, ''));
  expect(snippet.startsWith(ELLIPSIS) && snippet.endsWith(ELLIPSIS)).toBe(true);
  expect(snippet).toContain('the [walrus] w100');
  expect(wordCount(chooseSnippet(body, ''))).toBe(SNIPPET_WORDS);
  // Centred: as many words before the mark as after, give or take one.
  const [before, after] = snippet.split('[walrus]');
  expect(Math.abs(wordCount(before!) - wordCount(after!))).toBeLessThanOrEqual(2);
});

test('the stretch with the most different searched words wins over one word repeated', () => {
  const body = `${mark('walrus')} ${words(0, 5)} ${mark('walrus')} ${words(5, 60)} ${mark('narwhal')} and ${mark('walrus')} ${words(65, 60)}`;
  expect(shown(chooseSnippet(body, ''))).toContain('[narwhal] and [walrus]');
});

test('among stretches of as many different words, the one with the most marks wins, then the earliest', () => {
  // Marks of one word all through the body, and two stretches with both words: the second has more
  // marks. The stretch starting at each mark is weighed, words coming in and going out as it moves.
  const walruses = (from: number) => Array.from({ length: 8 }, (_, i) => `${mark('walrus')} w${from + i}`).join(' ');
  const body = [
    walruses(0),
    words(100, 40),
    `${mark('narwhal')} and ${mark('walrus')} x1`,
    words(200, 40),
    `${mark('Narwhal')} ${mark('walrus')} and ${mark('walrus')} x2`,
    words(300, 40),
    walruses(400),
  ].join(' ');
  expect(shown(chooseSnippet(body, ''))).toContain('[Narwhal] [walrus] and [walrus] x2');
  const twice = `${words(0, 40)} ${mark('narwhal')} ${mark('walrus')} y1 ${words(100, 40)} ${mark('narwhal')} ${mark('walrus')} y2 ${words(200, 40)}`;
  expect(shown(chooseSnippet(twice, ''))).toContain('[walrus] y1');
});

test('at the start or end of the body there is no ellipsis on that side', () => {
  expect(shown(chooseSnippet(`${mark('Walrus')} ${words(0, 100)}`, ''))).toMatch(/^\[Walrus\] w0 .*…$/);
  expect(shown(chooseSnippet(`${words(0, 100)} a ${mark('walrus')}.`, ''))).toMatch(/^…w\d+ .* a \[walrus\]\.$/u);
});

test('a marked phrase cut by the edge of the stretch keeps its mark balanced', () => {
  const phrase = `${MARK_START}${words(0, 40)}${MARK_END}`;
  const snippet = chooseSnippet(`${words(100, 50)} ${phrase} ${words(200, 50)}`, '');
  // The phrase is longer than a snippet: it is shown whole, marked.
  expect(snippetParts(snippet).filter((part) => part.marked)).toEqual([{ text: words(0, 40), marked: true }]);
});

test('not in the body: the deck, marked; in neither: the deck, or else the first words of the body', () => {
  expect(shown(chooseSnippet(words(0, 50), `A ${mark('walrus')} story`))).toBe('A [walrus] story');
  expect(shown(chooseSnippet(words(0, 50), 'What happened'))).toBe('What happened');
  expect(shown(chooseSnippet(`${words(0, 50)}.`, ''))).toBe(`${words(0, SNIPPET_WORDS)}${ELLIPSIS}`);
  expect(chooseSnippet('', '')).toBe('');
});

test('text around the marks is kept as it is, for the page to escape', () => {
  expect(shown(chooseSnippet(`<script>alert(1)</script> ${mark('quokka')} & co`, ''))).toBe('<script>alert(1)</script> [quokka] & co');
});

test('the snippet begins where a sentence begins, when one does shortly before the marks', () => {
  const snippet = shown(chooseSnippet(`${words(0, 50)}. Then the ${mark('walrus')} ${words(50, 50)}`, ''));
  expect(snippet).toMatch(/^…Then the \[walrus\] w50 /);
  expect(wordCount(snippet)).toBe(SNIPPET_WORDS);
});

test('words in any script count as words, letters outside the basic plane too', () => {
  const snippet = shown(chooseSnippet(`${words(0, 50)} café naïve ${mark('Zoë')} 𝒳𝒴 東京 ${words(50, 50)}`, ''));
  expect(snippet).toContain('café naïve [Zoë] 𝒳𝒴 東京 w50');
  expect(wordCount(snippet)).toBe(SNIPPET_WORDS);
});

test('half a surrogate pair, anywhere, is no word and breaks nothing', () => {
  const lone = `\uDC00${words(0, 5)} \uD835 ${mark('walrus')} \uDC00 ${words(5, 5)}\uD835`;
  expect(shown(chooseSnippet(lone, ''))).toBe(lone.replace(`${MARK_START}walrus${MARK_END}`, '[walrus]'));
});

test('from found words, the snippet is the one the marked body and deck give, marking only what it shows', () => {
  // Words found in a text (word-marks.ts) make the same snippet as the text with them marked: the
  // long bodies, sentences and words of every length here put the stretch anywhere, near either
  // end or none, and its reach across other found words. A fixed seed, so that a failure can be
  // reproduced.
  const { random, pick } = seededRandom(11);
  // 'wal\uE123rus': a word to the tokenizer (private use), two to the snippet's word count.
  const vocabulary = ['walrus', 'Narwhal', 'w', 'an', 'x'.repeat(40), 'résumé', 'Αθήνα', '2013', '𝐯𝐨𝐭𝐞', 'wal\uE123rus'];
  const separators = [' ', ' ', ' ', ', ', '. ', '! ', '\n', '—', ' “', '” ', '  '];
  /** A text of `count` words, and which of them are found (each with a chance of `share`). */
  const textOf = (count: number, share: number): { text: string; found: FoundWord[] } => {
    let text = '';
    const found: FoundWord[] = [];
    for (let i = 0; i < count; i += 1) {
      const word = pick(vocabulary);
      if (random() < share) found.push({ start: text.length, end: text.length + word.length, word: word.toLowerCase() });
      text += word + pick(separators);
    }
    return { text, found };
  };
  for (let round = 0; round < 2000; round += 1) {
    const body = textOf(Math.floor(random() * 300), pick([0, 0.01, 0.05, 0.3, 1]));
    const deck = textOf(Math.floor(random() * 20), pick([0, 0.2]));
    const expected = chooseSnippet(withMarks(body.text, body.found), withMarks(deck.text, deck.found));
    expect([round, snippetOfFoundWords(body.text, body.found, deck.text, deck.found)]).toEqual([round, expected]);
  }
});
