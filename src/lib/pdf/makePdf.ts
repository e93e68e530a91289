/**
 * The browser's way to make a record's PDF: loaded with `import()` only when someone asks for one, so
 * pdf-lib, fontkit and the fonts are a chunk of their own that the first screen never waits for. The
 * service worker precaches the chunk and the fonts, so it works with no signal.
 */
import regularUrl from '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf?url';
import boldUrl from '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf?url';
import type { DocumentModel } from '../document/model';
import { renderPdf, type PdfFonts } from './renderPdf';

let fonts: Promise<PdfFonts> | null = null;

async function fetchFont(url: string): Promise<ArrayBuffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`The PDF’s font could not be loaded (${response.status}).`);
  return response.arrayBuffer();
}

/** Noto Sans regular and bold (OFL), fetched once — from the precache when offline. */
function loadFonts(): Promise<PdfFonts> {
  fonts ??= Promise.all([fetchFont(regularUrl), fetchFont(boldUrl)]).then(([regular, bold]) => ({ regular, bold }));
  fonts.catch(() => (fonts = null));
  return fonts;
}

export async function makePdf(model: DocumentModel): Promise<Uint8Array> {
  return (await renderPdf(model, await loadFonts())).bytes;
}
