// Screenshots of the app's window, read from Xvfb's framebuffer (`Xvfb -fbdir`, an XWD file)
// rather than asked of WebKitWebDriver: its screenshots hang when WebKit draws through shared
// memory, as the app does by default on Linux (src-tauri/src/webview_env.rs). The framebuffer is
// also exactly what a user would see.
import { readFileSync, writeFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';

/** Saves the window's part of the screen as a PNG, or WebDriver's screenshot when the tests run
 *  on a display that is not our Xvfb. */
export async function saveWindowShot(browser, file) {
  const framebuffer = process.env.RONDA_E2E_FRAMEBUFFER;
  if (!framebuffer) {
    await browser.saveScreenshot(file);
    return;
  }
  // Give the last change a frame or two to reach the screen.
  await browser.pause(150);
  const rect = await browser.getWindowRect();
  writeFileSync(file, png(crop(readXwd(readFileSync(framebuffer)), rect)));
}

/** A 24-bit TrueColor XWD image (what Xvfb keeps) as RGB rows. */
function readXwd(data) {
  const field = (i) => data.readUInt32BE(i * 4);
  const [headerSize, width, height, byteOrder, bitsPerPixel, bytesPerLine, colours] = [
    field(0), field(4), field(5), field(7), field(11), field(12), field(19),
  ];
  if (bitsPerPixel !== 32) throw new Error(`framebuffer: ${bitsPerPixel} bits per pixel, expected 32`);
  const start = headerSize + colours * 12;
  const rgb = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = start + y * bytesPerLine + x * 4;
      const pixel = byteOrder === 0 ? data.readUInt32LE(at) : data.readUInt32BE(at);
      const out = (y * width + x) * 3;
      rgb[out] = (pixel >> 16) & 0xff;
      rgb[out + 1] = (pixel >> 8) & 0xff;
      rgb[out + 2] = pixel & 0xff;
    }
  }
  return { width, height, rgb };
}

function crop(image, { x, y, width, height }) {
  const left = Math.max(0, x);
  const top = Math.max(0, y);
  const w = Math.min(width, image.width - left);
  const h = Math.min(height, image.height - top);
  const rgb = Buffer.alloc(w * h * 3);
  for (let row = 0; row < h; row++) {
    const from = ((top + row) * image.width + left) * 3;
    image.rgb.copy(rgb, row * w * 3, from, from + w * 3);
  }
  return { width: w, height: h, rgb };
}

function chunk(type, body) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])));
  return Buffer.concat([head, body, crc]);
}

/** RGB rows as a PNG (8-bit truecolour, no filter). */
function png({ width, height, rgb }) {
  const rows = Buffer.alloc(height * (width * 3 + 1));
  for (let y = 0; y < height; y++) rgb.copy(rows, y * (width * 3 + 1) + 1, y * width * 3, (y + 1) * width * 3);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
