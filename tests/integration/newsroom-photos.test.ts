import fs from 'node:fs';
import path from 'node:path';
import * as cheerio from 'cheerio';
import sharp from 'sharp';
import request from 'supertest';
import { variantFileName } from '../../src/photos/photo-store';
import { addNewsroomUser, getAs, postAs, SAME_ORIGIN, signIn, type NewsroomBrowser } from '../helpers/newsroom';
import { createTestSite, type TestSite } from '../helpers/test-site';

// Photo uploads in the newsroom, with the files people actually send: a phone photo carrying
// its camera and location data, a text file renamed .jpg, a PNG that says it is a JPEG, a small
// file that decodes to a giant image, a file past the size limit, and missing words.

let site: TestSite;
let writer: NewsroomBrowser;
let editor: NewsroomBrowser;

beforeAll(async () => {
  site = await createTestSite({ env: { TRUST_PROXY: 'loopback', PHOTO_UPLOAD_MB: '1', PHOTO_MAX_MEGAPIXELS: '2' } });
  await addNewsroomUser(site, 'writer@news.example', 'writer');
  await addNewsroomUser(site, 'editor@news.example', 'editor');
  writer = await signIn(site, 'writer@news.example', undefined, { 'X-Forwarded-For': '198.51.100.1' });
  editor = await signIn(site, 'editor@news.example', undefined, { 'X-Forwarded-For': '198.51.100.2' });
});
afterAll(() => site.close());

const WORDS = { alt: 'A red fishing boat tied up in the harbour', caption: 'The harbour at dawn.', credit: 'A. Photographer' };

function upload(
  browser: NewsroomBrowser,
  file: { data: Buffer; name: string; type: string } | null,
  words: Record<string, string> = WORDS,
  csrf = browser.csrf,
) {
  const req = request(site.app)
    .post(`/admin/photos?_csrf=${encodeURIComponent(csrf)}`)
    .set({ ...SAME_ORIGIN, Cookie: browser.cookie });
  for (const [name, value] of Object.entries(words)) req.field(name, value);
  return file ? req.attach('file', file.data, { filename: file.name, contentType: file.type }) : req;
}

const photo = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 30 } } });

test('a writer uploads a phone photo: it is in the library with its words, upright, and without its camera or location data', async () => {
  const jpeg = await photo(1200, 800)
    .jpeg()
    .withExif({
      IFD0: { Make: 'PhoneMaker', Model: 'Phone 12', Artist: 'Someone' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' },
    })
    .toBuffer();
  expect((await sharp(jpeg).metadata()).exif).toBeDefined();
  const res = await upload(writer, { data: jpeg, name: 'IMG_0001.JPG', type: 'image/jpeg' });
  expect(res.status).toBe(303);
  const id = Number(/uploaded=(\d+)/.exec(res.headers.location!)![1]);
  const row = site.db.prepare('SELECT sha256, width, height, alt, caption, credit FROM photos WHERE id = ?').get(id) as Record<
    string,
    string | number
  >;
  expect(row).toMatchObject({ width: 1200, height: 800, ...WORDS });
  const dir = site.config.photosDir;
  const original = fs.readFileSync(path.join(dir, `${row.sha256}.jpeg`));
  expect((await sharp(original).metadata()).exif).toBeUndefined();
  expect(original.includes(Buffer.from('PhoneMaker'))).toBe(false);
  const variant = await request(site.app).get(`/photos/${variantFileName(String(row.sha256), 640, 'webp')}`);
  expect(variant.status).toBe(200);
  const library = cheerio.load((await getAs(site, writer, res.headers.location!)).text);
  expect(library('.newsroom-notice').text()).toContain(`[photo ${id}]`);
  expect(library('.newsroom-photos li').first().text()).toContain(`Photo ${id}`);
  expect(library('.newsroom-photos img').first().attr('alt')).toBe(WORDS.alt);
  const audit = site.db
    .prepare("SELECT email FROM newsroom_audit WHERE action = 'uploaded photo' AND subject = ?")
    .pluck()
    .get(`photo ${id}`);
  expect(audit).toBe('writer@news.example');
});

test('files that are not photos, lie about their type or decode to too many pixels are refused with a reason', async () => {
  const before = site.db.prepare('SELECT count(*) FROM photos').pluck().get();
  const cases: [string, { data: Buffer; name: string; type: string }, RegExp][] = [
    [
      'a text file renamed .jpg',
      { data: Buffer.from('Not a photo at all.\n'), name: 'holiday.jpg', type: 'image/jpeg' },
      /not an image we can read/,
    ],
    [
      'a PNG that says it is a JPEG',
      { data: await photo(200, 100).png().toBuffer(), name: 'boat.jpg', type: 'image/jpeg' },
      /says it is image\/jpeg but it is a PNG/,
    ],
    ['a GIF', { data: await photo(50, 50).gif().toBuffer(), name: 'boat.gif', type: 'image/gif' }, /not a JPEG, PNG or WebP/],
    // A small file that decodes to far more pixels than allowed (here 2 million): a decompression bomb.
    [
      'a decompression bomb',
      { data: await photo(3000, 2000).png({ compressionLevel: 9 }).toBuffer(), name: 'bomb.png', type: 'image/png' },
      /3000 × 2000 pixels; the most we take is 2 million/,
    ],
  ];
  for (const [what, file, reason] of cases) {
    const res = await upload(editor, file);
    expect({ what, status: res.status }).toEqual({ what, status: 422 });
    const $ = cheerio.load(res.text);
    expect($('#photo-file-error').text()).toMatch(reason);
    expect($('#photo-alt').val()).toBe(WORDS.alt); // what was typed stays
  }
  const big = await upload(editor, { data: Buffer.alloc(1.5 * 1024 * 1024, 1), name: 'huge.jpg', type: 'image/jpeg' });
  expect(big.status).toBe(413);
  expect(cheerio.load(big.text)('#photo-file-error').text()).toContain('larger than 1 MB');
  const noWords = await upload(
    editor,
    { data: await photo(300, 200).jpeg().toBuffer(), name: 'a.jpg', type: 'image/jpeg' },
    { alt: '', caption: '', credit: '' },
  );
  expect(noWords.status).toBe(422);
  const $ = cheerio.load(noWords.text);
  expect($('#photo-alt-error').text()).toContain('Describe the photo');
  expect($('#photo-caption-error').text()).toContain('caption');
  expect($('#photo-credit-error').text()).toContain('who took');
  expect((await upload(editor, null)).status).toBe(422);
  expect(site.db.prepare('SELECT count(*) FROM photos').pluck().get()).toBe(before);
});

test('an upload without the session’s form token is refused', async () => {
  const res = await upload(editor, { data: await photo(300, 200).jpeg().toBuffer(), name: 'a.jpg', type: 'image/jpeg' }, WORDS, 'forged');
  expect(res.status).toBe(403);
});

test('editors delete photos nobody uses; a photo a story uses stays; writers delete nothing', async () => {
  const res = await upload(
    editor,
    { data: await photo(640, 480).jpeg().toBuffer(), name: 'spare.jpg', type: 'image/jpeg' },
    { ...WORDS, alt: 'A spare photo' },
  );
  const spare = Number(/uploaded=(\d+)/.exec(res.headers.location!)![1]);
  expect((await postAs(site, writer, `/admin/photos/${spare}/delete`, {})).status).toBe(403);
  const hero = site.db.prepare('SELECT hero_photo_id FROM articles WHERE hero_photo_id IS NOT NULL LIMIT 1').pluck().get() as number;
  const used = await postAs(site, editor, `/admin/photos/${hero}/delete`, {});
  expect(used.status).toBe(409);
  expect(cheerio.load(used.text)('#error-summary').text()).toContain('is used by');
  expect(site.db.prepare('SELECT count(*) FROM photos WHERE id = ?').pluck().get(hero)).toBe(1);
  expect((await postAs(site, editor, `/admin/photos/${spare}/delete`, {})).status).toBe(303);
  expect(site.db.prepare('SELECT count(*) FROM photos WHERE id = ?').pluck().get(spare)).toBe(0);
  expect((await postAs(site, editor, '/admin/photos/999999/delete', {})).status).toBe(404);
  const found = cheerio.load((await getAs(site, editor, '/admin/photos?q=harbour')).text);
  expect(found('.newsroom-photos li').length).toBeGreaterThan(0);
  expect((await getAs(site, editor, '/admin/photos?page=0')).status).toBe(400);
});
