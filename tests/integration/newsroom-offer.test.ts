import * as cheerio from 'cheerio';
import request from 'supertest';
import { addNewsroomUser, getAs, postAs, signIn, type NewsroomBrowser } from '../helpers/newsroom';
import { createTestSite, type TestSite } from '../helpers/test-site';

// The offer run from the newsroom: only admins change it, a bad form changes nothing, and a
// saved change shows at once on every page's panel and on /subscribe, plans included.

let site: TestSite;
let admin: NewsroomBrowser;
let editor: NewsroomBrowser;

beforeAll(async () => {
  site = await createTestSite();
  await addNewsroomUser(site, 'admin@news.example', 'admin');
  await addNewsroomUser(site, 'editor@news.example', 'editor');
  admin = await signIn(site, 'admin@news.example');
  editor = await signIn(site, 'editor@news.example');
});
afterAll(() => site.close());

/** The offer form as the page fills it in now: every field's current value. */
async function currentForm(): Promise<Record<string, string>> {
  const res = await getAs(site, admin, '/admin/offer');
  expect(res.status).toBe(200);
  const $ = cheerio.load(res.text);
  const fields: Record<string, string> = {};
  $('form[action="/admin/offer"] input, form[action="/admin/offer"] select, form[action="/admin/offer"] textarea').each((_, element) => {
    const input = $(element);
    const name = input.attr('name');
    if (!name || name === '_csrf' || (input.attr('type') === 'checkbox' && !input.is(':checked'))) return;
    fields[name] = input.is('textarea')
      ? input.text()
      : input.is('select')
        ? String(input.find('option[selected]').val() ?? input.find('option').first().val())
        : String(input.val() ?? '');
  });
  return fields;
}

const panel = async (pathname: string) => {
  const $ = cheerio.load((await request(site.app).get(pathname)).text);
  return {
    name: $('.offer-panel__name').text(),
    benefits: $('.offer-panel__benefits li')
      .map((_, li) => $(li).text().trim())
      .get(),
    special: $('.offer-panel__special').text(),
  };
};

test('an editor can neither see nor change the offer', async () => {
  expect((await getAs(site, editor, '/admin/offer')).status).toBe(403);
  expect((await postAs(site, editor, '/admin/offer', await currentForm())).status).toBe(403);
});

test('a bad offer form is refused with a reason beside the field, and the offer stays as it was', async () => {
  const before = await panel('/');
  const form = await currentForm();
  const cases: [Record<string, string>, string, RegExp][] = [
    [{ name: '' }, 'name', /Write the offer name/],
    [{ benefits: ' \n ' }, 'benefits', /at least one bullet point/],
    [{ benefits: Array.from({ length: 9 }, (_, i) => `Point ${i}`).join('\n') }, 'benefits', /at most 8/],
    [{ plan_price_0: '49,99' }, 'plan_price_0', /such as 49 or 49.99/],
    [{ plan_currency_0: 'XYZ' }, 'plan_currency_0', /currency from the list/],
    [{ plan_remove_0: 'yes', plan_remove_1: 'yes' }, 'plans', /at least one plan/],
    [{ plan_code_2: 'digital', plan_name_2: 'Again', plan_price_2: '1' }, 'plan_code_2', /cannot share the code/],
    [{ plan_code_2: 'Bad Code!', plan_name_2: 'New', plan_price_2: '1' }, 'plan_code_2', /small letters/],
  ];
  for (const [change, field, message] of cases) {
    const res = await postAs(site, admin, '/admin/offer', { ...form, ...change });
    expect(res.status).toBe(422);
    const $ = cheerio.load(res.text);
    expect($('#error-summary').text()).toMatch(message);
    expect($('#error-summary a').first().attr('href')).toBe(`#offer-${field}`);
  }
  expect(await panel('/')).toEqual(before);
});

test('an admin changes the words and plans: every page and /subscribe show them at once, escaped', async () => {
  const articlePath = cheerio
    .load((await request(site.app).get('/')).text)('main a[href*="/20"]')
    .first()
    .attr('href')!;
  await panel(articlePath); // cached pages, to show that the change reaches them too
  const form = await currentForm();
  const res = await postAs(site, admin, '/admin/offer', {
    ...form,
    name: 'The Weekly <Review>',
    benefits: 'Every Friday\nNo ads',
    specialOfferText: 'Three months for $1 & no catch',
    plan_remove_1: 'yes',
    plan_code_2: 'student',
    plan_name_2: 'Student',
    plan_price_2: '19.50',
    plan_currency_2: 'EUR',
    plan_period_2: 'year',
  });
  expect(res.status).toBe(303);
  for (const pathname of ['/', articlePath, '/World']) {
    expect(await panel(pathname)).toEqual({
      name: 'The Weekly <Review>',
      benefits: ['Every Friday', 'No ads'],
      special: expect.stringContaining('Three months for $1 & no catch'),
    });
  }
  const subscribe = await request(site.app).get('/subscribe');
  expect(subscribe.text).not.toContain('<Review>');
  const plans = cheerio
    .load(subscribe.text)('input[name="plan"]')
    .map((_, input) => cheerio.load(subscribe.text)(input).val())
    .get();
  expect(plans).toEqual(['digital', 'student']);
  expect(cheerio.load(subscribe.text)('.plan-option').text()).toContain('€19.50 a year');
  expect(site.db.prepare("SELECT email, detail FROM newsroom_audit WHERE action = 'changed offer'").get()).toEqual({
    email: 'admin@news.example',
    detail: '2 plans (digital, student), 1 removed',
  });
});
