import fs from 'node:fs';
import path from 'node:path';

// The code runs both from src/ (tests) and from dist/src/ (production), so files shipped beside
// it (migrations, views, assets, seed data) are found from the package root rather than from a
// fixed number of "../".
function findPackageRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

export const PACKAGE_ROOT = findPackageRoot(__dirname);
export const MIGRATIONS_DIR = path.join(PACKAGE_ROOT, 'migrations');
export const VIEWS_DIR = path.join(PACKAGE_ROOT, 'views');
export const ASSETS_DIR = path.join(PACKAGE_ROOT, 'assets');
export const SEED_DIR = path.join(PACKAGE_ROOT, 'seed');
export const DEPLOY_DIR = path.join(PACKAGE_ROOT, 'deploy');
