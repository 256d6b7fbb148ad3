import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { PACKAGE_ROOT } from '../../src/project-paths';
import type { BrowserSite } from './browser';

// Newsroom accounts in the browser tests, made as an operator makes them and used as people do.

export type Account = { email: string; password: string };

/** Adds an account with the built command, the password piped on standard input; its output. */
export function addAccountFromShell(site: BrowserSite, account: Account, role: 'writer' | 'editor' | 'admin') {
  return spawnSync(process.execPath, [path.join(PACKAGE_ROOT, 'bin/news.js'), 'newsroom:add-user', account.email, '--role', role], {
    env: { PATH: process.env.PATH ?? '', DATABASE_PATH: site.databasePath },
    input: `${account.password}\n`,
    encoding: 'utf8',
  });
}

/** Signs in through the form, from /admin, and waits for the newsroom's home. */
export async function signInToNewsroom(page: Page, account: Account): Promise<void> {
  await page.goto('/admin');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Newsroom', level: 1 }).waitFor();
}
