/**
 * The architecture's import rules, enforced by lint (DESIGN.md "Shape"):
 *  - domain/ is pure: it imports only zod and itself — never app (src/) or server (sync-server/) code;
 *  - only src/data/ touches Dexie, Yjs, y-indexeddb, the sync provider or a Yjs editor binding (y-codemirror.next);
 *  - one feature never imports another (src/features/a may not import src/features/b);
 *  - app code (src/) never imports the server;
 *  - the record model (recordModel/: the doc <-> values mapping, field history, the storage proof) is shared by
 *    device and server, so it imports only domain/, itself and Yjs — never src/ or sync-server/ — and only the
 *    two sides' storage layers (src/data, sync-server) import it;
 *  - the server never imports the app (src/), least of all the device's data layer.
 * Written as a small local rule because it resolves each import to a real path, which pattern-based
 * rules (no-restricted-imports) cannot do for relative imports.
 */
import path from 'node:path';

// y-codemirror.next binds an editor straight to a record's Y.Text, so it is Yjs too: the narrative editor
// that uses it lives in src/data/editor, and screens get it as a component that never exposes a Y type.
const storagePackages = [/^dexie($|\/)/, /^dexie-react-hooks($|\/)/, /^yjs($|\/)/, /^y-indexeddb($|\/)/, /^y-protocols($|\/)/, /^@hocuspocus\//, /^y-codemirror/];
const domainPackages = [/^zod($|\/)/];
const modelPackages = [/^zod($|\/)/, /^yjs($|\/)/, /^lib0($|\/)/];

/** Where a repository-relative path sits in the architecture. */
function areaOf(relative) {
  const parts = relative.split(path.sep).join('/').split('/');
  if (parts[0] === 'domain') return { area: 'domain' };
  if (parts[0] === 'sync-server') return { area: 'server' };
  if (parts[0] === 'recordModel') return { area: 'model' };
  if (parts[0] === 'src' && parts[1] === 'data') return { area: 'data' };
  if (parts[0] === 'src' && parts[1] === 'features' && parts[2] && parts.length > 3) return { area: 'feature', feature: parts[2] };
  if (parts[0] === 'src') return { area: 'app' };
  return { area: 'other' };
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Keep domain pure, storage inside src/data, and features apart.' },
    schema: [],
    messages: {
      domainImportsApp: 'domain/ must stay pure: it cannot import app or server code ("{{source}}").',
      domainImportsPackage: 'domain/ must stay pure TypeScript + zod: it cannot import "{{source}}".',
      storageOutsideData: 'Only src/data may use Dexie, Yjs or a Yjs editor binding ("{{source}}"); add what you need to src/data and import that.',
      featureImportsFeature: 'Features do not import each other: src/features/{{from}} imports src/features/{{to}}. Move shared code to src/components, src/lib or src/data.',
      appImportsServer: 'App code cannot import server code ("{{source}}").',
      serverImportsApp: 'The server cannot import app code ("{{source}}"); what both sides need of a record lives in recordModel/.',
      modelImportsSide: 'recordModel/ is shared by device and server: it may import only domain/, itself, Yjs and zod ("{{source}}").',
      modelOutsideStorage: 'Only src/data and the server may use the record model ("{{source}}"); screens get records through src/data.',
    },
  },
  create(context) {
    const root = context.cwd;
    const file = path.relative(root, context.filename);
    const from = areaOf(file);
    if (from.area === 'other') return {};
    const isTestFile = /\.test\.tsx?$/.test(file);

    function check(node, source) {
      if (typeof source !== 'string') return;
      const data = { source };
      if (source.startsWith('.')) {
        const target = areaOf(path.relative(root, path.resolve(path.dirname(context.filename), source)));
        if (from.area === 'domain' && target.area !== 'domain' && target.area !== 'other')
          context.report({ node, messageId: 'domainImportsApp', data });
        if (from.area === 'server' && (target.area === 'data' || target.area === 'app' || target.area === 'feature'))
          context.report({ node, messageId: 'serverImportsApp', data });
        if (from.area === 'model' && target.area !== 'domain' && target.area !== 'model')
          context.report({ node, messageId: 'modelImportsSide', data });
        if ((from.area === 'app' || from.area === 'feature') && !isTestFile && target.area === 'model')
          context.report({ node, messageId: 'modelOutsideStorage', data });
        if ((from.area === 'app' || from.area === 'feature' || from.area === 'data') && target.area === 'server') context.report({ node, messageId: 'appImportsServer', data });
        if (from.area === 'feature' && target.area === 'feature' && target.feature !== from.feature)
          context.report({ node, messageId: 'featureImportsFeature', data: { from: from.feature, to: target.feature } });
        return;
      }
      if (from.area === 'server') return;
      if (from.area === 'model' && !modelPackages.some((p) => p.test(source)) && !(isTestFile && source === 'vitest'))
        context.report({ node, messageId: 'modelImportsSide', data });
      if (from.area === 'domain' && !domainPackages.some((p) => p.test(source)) && !(isTestFile && source === 'vitest'))
        context.report({ node, messageId: 'domainImportsPackage', data });
      if (from.area !== 'data' && from.area !== 'domain' && from.area !== 'model' && storagePackages.some((p) => p.test(source)))
        context.report({ node, messageId: 'storageOutsideData', data });
    }

    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export default { rules: { boundaries: rule } };
