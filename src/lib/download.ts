/**
 * Offers bytes made on this device to the person as a file (the browser's download): CSV tables, PDFs of
 * records, the dashboard and the quarterly summary. Nothing goes to the server.
 */
export function offerDownload(fileName: string, content: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Not at once: a browser may still be reading the file when click() returns (a large PDF on a slow tablet).
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
