import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { VIEWS_DIR } from '../project-paths';

/** Renders a template ('pages/article', 'partials/article-main') with its data, synchronously. */
export type TemplateRenderer = (template: string, data: object) => string;

/** Every name a template or partial reads from its data (see `_with: false` below). */
const TEMPLATE_LOCALS = [
  'view',
  'photo',
  'loading',
  'priority',
  'story',
  'lead',
  'headingLevel',
  'offer',
  'pagination',
  'summary',
  'input',
];

/**
 * The EJS set-up of the whole site, used by Express's res.render and by the stored article
 * renders alike. Templates see their data as plain variables without a `with` block (V8 runs
 * that slowly): the names the templates and their includes use are listed once above. Includes
 * are written from the views folder ('/partials/photo'), which EJS resolves without asking the
 * file system on every render, as it does for relative ones. In development templates are
 * re-read on every render, so that edits show without a restart.
 */
export function createTemplateRenderer(options: { development: boolean }): TemplateRenderer {
  const ejsOptions = {
    async: false as const,
    root: VIEWS_DIR,
    _with: false,
    destructuredLocals: TEMPLATE_LOCALS,
    compileDebug: options.development,
    cache: !options.development,
  } satisfies ejs.Options;
  const compiled = new Map<string, ejs.TemplateFunction>();
  return (template, data) => {
    const file = path.isAbsolute(template) ? template : path.join(VIEWS_DIR, `${template}.ejs`);
    let render = compiled.get(file);
    if (!render) {
      render = ejs.compile(fs.readFileSync(file, 'utf8'), { ...ejsOptions, filename: file });
      if (!options.development) compiled.set(file, render);
    }
    return render(data as ejs.Data);
  };
}
