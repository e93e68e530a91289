/** The lint rules that keep the architecture's shape fail on the imports they forbid, and only those. */
import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

async function boundaryMessages(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'fieldnotes/boundaries').map((m) => m.message);
}

describe('architecture lint rules', () => {
  it('domain code cannot import app or server code, nor any package but zod', async () => {
    expect(await boundaryMessages('domain/x.ts', "import { App } from '../src/app/App';\nexport const a = App;")).toEqual([
      expect.stringContaining('domain/ must stay pure'),
    ]);
    expect(await boundaryMessages('domain/x.ts', "import { startServer } from '../sync-server/server';\nexport const a = startServer;")).toHaveLength(1);
    expect(await boundaryMessages('domain/x.ts', "import * as Y from 'yjs';\nexport const a = Y;")).toEqual([expect.stringContaining('pure TypeScript + zod')]);
    expect(await boundaryMessages('domain/x.ts', "import { z } from 'zod';\nimport { roles } from './directory';\nexport const a = [z, roles];")).toEqual([]);
  });

  it('only src/data may import Dexie, Yjs or a Yjs editor binding', async () => {
    for (const pkg of ['dexie', 'yjs', 'y-indexeddb', 'dexie-react-hooks', '@hocuspocus/provider', 'y-codemirror.next'])
      expect(await boundaryMessages('src/features/observation/x.ts', `import * as M from '${pkg}';\nexport const a = M;`)).toEqual([
        expect.stringContaining('Only src/data may use Dexie, Yjs or a Yjs editor binding'),
      ]);
    expect(await boundaryMessages('src/app/x.ts', "import Dexie from 'dexie';\nexport const a = Dexie;")).toHaveLength(1);
    expect(await boundaryMessages('src/data/x.ts', "import Dexie from 'dexie';\nimport * as Y from 'yjs';\nexport const a = [Dexie, Y];")).toEqual([]);
  });

  it('one feature cannot import another', async () => {
    expect(
      await boundaryMessages('src/features/observation/x.ts', "import { MyRecordsPage } from '../records/MyRecordsPage';\nexport const a = MyRecordsPage;"),
    ).toEqual([expect.stringContaining('Features do not import each other')]);
    expect(
      await boundaryMessages('src/features/observation/deep/x.ts', "import { A } from '../../records/A';\nexport const a = A;"),
    ).toHaveLength(1);
    expect(
      await boundaryMessages(
        'src/features/observation/x.ts',
        "import { ObservationForm } from './ObservationForm';\nimport { TextField } from '../../components/fields';\nexport const a = [ObservationForm, TextField];",
      ),
    ).toEqual([]);
  });

  it('app code cannot import the server', async () => {
    expect(await boundaryMessages('src/app/x.ts', "import { startServer } from '../../sync-server/server';\nexport const a = startServer;")).toEqual([
      expect.stringContaining('App code cannot import server code'),
    ]);
  });

  it('the record model is shared: it imports neither side, and the server never imports the app', async () => {
    expect(await boundaryMessages('recordModel/x.ts', "import { db } from '../src/data/db';\nexport const a = db;")).toEqual([
      expect.stringContaining('recordModel/ is shared by device and server'),
    ]);
    expect(await boundaryMessages('recordModel/x.ts', "import { startServer } from '../sync-server/server';\nexport const a = startServer;")).toHaveLength(1);
    expect(await boundaryMessages('recordModel/x.ts', "import Dexie from 'dexie';\nexport const a = Dexie;")).toHaveLength(1);
    expect(
      await boundaryMessages('recordModel/x.ts', "import * as Y from 'yjs';\nimport { recordMetaSchema } from '../domain/records';\nimport { META } from './recordDoc';\nexport const a = [Y, recordMetaSchema, META];"),
    ).toEqual([]);
    expect(await boundaryMessages('sync-server/x.ts', "import { readValues } from '../src/data/docs/recordDoc';\nexport const a = readValues;")).toEqual([
      expect.stringContaining('The server cannot import app code'),
    ]);
    expect(await boundaryMessages('sync-server/x.ts', "import { readValues } from '../recordModel/recordDoc';\nexport const a = readValues;")).toEqual([]);
    expect(await boundaryMessages('src/data/x.ts', "import { readValues } from '../../recordModel/recordDoc';\nexport const a = readValues;")).toEqual([]);
    expect(await boundaryMessages('src/features/review/x.ts', "import { readValues } from '../../../recordModel/recordDoc';\nexport const a = readValues;")).toEqual([
      expect.stringContaining('Only src/data and the server may use the record model'),
    ]);
  });
});
