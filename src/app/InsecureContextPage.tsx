/**
 * Shown instead of the app when the page is not a secure context (plain http on anything but this
 * machine): there the browser gives no service worker (no offline use), no `crypto.randomUUID` and may
 * refuse storage, so Fieldnotes would fail later for the wrong reasons. It says what to do instead, and
 * nothing else runs: no database is opened, no service worker registered, nothing sent or saved.
 */
export function InsecureContextPage({ location }: { location: Pick<Location, 'hostname' | 'pathname'> }) {
  const secureAddress = `https://${location.hostname}${location.pathname}`;
  return (
    <main className="page" id="main">
      <h1>Use the secure address for Fieldnotes</h1>
      <div className="alert alert--warning" role="alert">
        <p>
          This address starts with <strong>http://</strong>. That is not secure, so Fieldnotes has not started here and nothing has
          been saved on this device.
        </p>
      </div>
      <p>Open Fieldnotes with the address that starts with <strong>https://</strong>. It is probably:</p>
      <p>
        <a className="button button--primary" href={secureAddress}>
          {secureAddress}
        </a>
      </p>
      <p>If that does not open, ask the person who set up Fieldnotes for its https:// address.</p>
    </main>
  );
}
