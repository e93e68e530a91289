/** What a screen shows while its code or its record is being opened. */
export function Loading({ message = 'Opening…' }: { message?: string }) {
  return (
    <main id="main" className="page">
      <p role="status">{message}</p>
    </main>
  );
}
