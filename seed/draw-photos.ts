// Draws the seed photos as simple illustrated scenes (SVG rendered to JPEG by sharp), so the
// repository carries real image files of known sizes that we made ourselves. Run it again with
// `npm run seed:draw-photos` after changing a scene; the JPEGs it writes are committed.
import path from 'node:path';
import sharp from 'sharp';

const WIDTH = 1200;
const HEIGHT = 800;

type Scene = { file: string; sky: [string, string]; ground: string; shapes: string };

const rect = (x: number, y: number, w: number, h: number, fill: string) =>
  `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="${fill}"/>`;
const circle = (cx: number, cy: number, r: number, fill: string) => `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${fill}"/>`;
const person = (x: number, y: number, scale: number, coat: string) =>
  `<g transform="translate(${x} ${y}) scale(${scale})">${circle(0, -150, 22, '#e0b48a')}${rect(-28, -125, 56, 90, coat)}${rect(-24, -35, 20, 70, '#2b2b2b')}${rect(4, -35, 20, 70, '#2b2b2b')}</g>`;
const skyline = (base: number, color: string, seed: number) =>
  Array.from({ length: 14 }, (_, i) => {
    const w = 60 + ((i * 37 + seed) % 50);
    const h = 120 + ((i * 71 + seed * 3) % 220);
    return rect(i * 90 - 20, base - h, w, h, color);
  }).join('');
const hills = (y: number, color: string) =>
  `<path d="M0 ${y} Q 200 ${y - 120} 400 ${y - 30} T 800 ${y - 50} T 1200 ${y - 20} V ${HEIGHT} H 0 Z" fill="${color}"/>`;
const trees = (y: number, color: string) =>
  Array.from(
    { length: 12 },
    (_, i) => `<path d="M${60 + i * 100} ${y} l40 -${110 + (i % 3) * 30} l40 ${110 + (i % 3) * 30} Z" fill="${color}"/>`,
  ).join('');

const scenes: Scene[] = [
  {
    file: 'north-korea-factory.jpg',
    sky: ['#6f7d8c', '#c9ccd1'],
    ground: '#5b5650',
    shapes:
      rect(80, 260, 1040, 360, '#8a8580') +
      Array.from({ length: 6 }, (_, i) => rect(120 + i * 170, 300, 120, 80, '#c7d3dd')).join('') +
      rect(150, 460, 300, 120, '#3f5a6b') +
      circle(300, 460, 50, '#2f4452') +
      rect(700, 440, 360, 140, '#3f5a6b') +
      person(560, 700, 1.1, '#1f1f1f') +
      person(470, 705, 0.95, '#4a5a3a') +
      person(650, 705, 0.95, '#4a5a3a') +
      person(760, 708, 0.9, '#2e3440'),
  },
  {
    file: 'boston-marathon-start.jpg',
    sky: ['#4a90d9', '#cfe6fb'],
    ground: '#6f6f6f',
    shapes:
      rect(180, 250, 24, 400, '#3b3b3b') +
      rect(996, 250, 24, 400, '#3b3b3b') +
      rect(180, 230, 840, 90, '#f2c230') +
      rect(220, 255, 760, 40, '#1b4d8f') +
      `<path d="M300 800 L560 520 L640 520 L900 800 Z" fill="#8c8c8c"/>` +
      rect(596, 540, 8, 260, '#f4f4f4') +
      person(600, 700, 1.3, '#1b4d8f') +
      trees(520, '#2f6b3a'),
  },
  {
    file: 'moscow-skyline.jpg',
    sky: ['#2c3e66', '#f0a868'],
    ground: '#2b2f3a',
    shapes:
      skyline(560, '#3a3f52', 5) +
      circle(880, 330, 60, '#d9a441') +
      rect(860, 330, 40, 230, '#7a2e2e') +
      `<path d="M820 330 Q880 220 940 330 Z" fill="#2e7d5b"/>` +
      rect(0, 560, WIDTH, 40, '#41506b'),
  },
  {
    file: 'capitol-dome.jpg',
    sky: ['#7fb2e5', '#e8f1fa'],
    ground: '#5f8a4c',
    shapes:
      rect(300, 420, 600, 180, '#ecebe6') +
      Array.from({ length: 9 }, (_, i) => rect(330 + i * 65, 440, 22, 150, '#d6d4cc')).join('') +
      rect(500, 330, 200, 90, '#ecebe6') +
      `<path d="M470 330 Q600 150 730 330 Z" fill="#f4f3ef"/>` +
      rect(590, 160, 20, 40, '#f4f3ef'),
  },
  {
    file: 'solar-farm.jpg',
    sky: ['#f6b26b', '#fde7c4'],
    ground: '#9c8a5a',
    shapes:
      circle(960, 250, 80, '#fff2b3') +
      hills(560, '#a89466') +
      Array.from({ length: 5 }, (_, r) =>
        Array.from(
          { length: 7 },
          (_, c) =>
            `<path d="M${60 + c * 165 - r * 10} ${560 + r * 48} l140 0 l-25 40 l-140 0 Z" fill="#24395e" stroke="#8fa7c9" stroke-width="3"/>`,
        ).join(''),
      ).join(''),
  },
  {
    file: 'river-forest.jpg',
    sky: ['#87b5d6', '#e3eef5'],
    ground: '#3f6e3a',
    shapes:
      hills(470, '#5c8a55') +
      trees(520, '#234d2a') +
      `<path d="M520 800 Q600 620 700 560 Q760 530 820 520 L860 520 Q760 560 720 640 Q680 720 760 800 Z" fill="#5b95c4"/>`,
  },
  {
    file: 'trading-floor.jpg',
    sky: ['#1d2330', '#3b4356'],
    ground: '#262a33',
    shapes:
      Array.from(
        { length: 4 },
        (_, i) =>
          rect(90 + i * 270, 150, 230, 140, '#0f1a12') +
          `<polyline points="${Array.from({ length: 10 }, (_, k) => `${100 + i * 270 + k * 23},${260 - ((k * 37 + i * 53) % 90)}`).join(' ')}" fill="none" stroke="#5fd16e" stroke-width="5"/>`,
      ).join('') +
      person(300, 720, 1, '#d9d9d9') +
      person(520, 730, 1, '#3a5f8f') +
      person(820, 725, 1, '#f0f0f0'),
  },
  {
    file: 'observatory-night.jpg',
    sky: ['#05081a', '#1d2b57'],
    ground: '#1a1f2e',
    shapes:
      Array.from({ length: 60 }, (_, i) => circle((i * 197) % WIDTH, (i * 89) % 420, 2 + (i % 3), '#f5f3d7')).join('') +
      hills(600, '#151a27') +
      rect(520, 420, 200, 120, '#c9ccd6') +
      `<path d="M520 420 Q620 320 720 420 Z" fill="#dfe2ea"/>` +
      rect(610, 330, 30, 60, '#1a1f2e'),
  },
  {
    file: 'harbour-cranes.jpg',
    sky: ['#9bb7d4', '#e7eef6'],
    ground: '#2f5d80',
    shapes:
      Array.from({ length: 3 }, (_, i) => rect(200 + i * 300, 250, 20, 330, '#c2412d') + rect(140 + i * 300, 250, 200, 20, '#c2412d')).join(
        '',
      ) +
      rect(100, 560, 900, 70, '#353b44') +
      Array.from({ length: 8 }, (_, i) => rect(130 + i * 105, 500, 95, 60, ['#b33a3a', '#2d6a8f', '#d9a441', '#4f7942'][i % 4]!)).join(''),
  },
  {
    file: 'wheat-harvest.jpg',
    sky: ['#88b7e0', '#f4f1df'],
    ground: '#d8b552',
    shapes:
      hills(520, '#c9a544') +
      Array.from({ length: 40 }, (_, i) => rect(i * 30, 600 + (i % 4) * 30, 6, 120, '#b38b2e')).join('') +
      rect(760, 470, 220, 110, '#3d7a3d') +
      circle(800, 590, 40, '#222') +
      circle(940, 590, 40, '#222'),
  },
  {
    file: 'classroom-books.jpg',
    sky: ['#efe4d2', '#f7f1e6'],
    ground: '#8a6a4a',
    shapes:
      rect(100, 120, 1000, 420, '#6b4b33') +
      Array.from({ length: 3 }, (_, r) =>
        Array.from({ length: 22 }, (_, c) =>
          rect(120 + c * 44, 140 + r * 135, 36, 115, ['#a23b3b', '#2c5f8a', '#d1a23f', '#3f7a4f', '#6d4c8a'][(c + r) % 5]!),
        ).join(''),
      ).join('') +
      person(450, 760, 1, '#2c5f8a') +
      person(720, 760, 0.9, '#a23b3b'),
  },
];

async function drawScene(scene: Scene, outDir: string): Promise<void> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">
    <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${scene.sky[0]}"/><stop offset="1" stop-color="${scene.sky[1]}"/></linearGradient></defs>
    ${rect(0, 0, WIDTH, HEIGHT, 'url(#sky)')}${rect(0, 560, WIDTH, 240, scene.ground)}${scene.shapes}</svg>`;
  await sharp(Buffer.from(svg)).jpeg({ quality: 82, mozjpeg: true }).toFile(path.join(outDir, scene.file));
}

async function main(): Promise<void> {
  const outDir = path.join(__dirname.replace(`${path.sep}dist${path.sep}`, path.sep), 'photos');
  for (const scene of scenes) await drawScene(scene, outDir);
  console.log(`Drew ${scenes.length} photos in ${outDir}`);
}

void main();
