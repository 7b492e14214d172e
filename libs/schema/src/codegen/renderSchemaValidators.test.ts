import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATED_DIR, renderSchemaValidators } from './renderSchemaValidators';

const rendered = renderSchemaValidators();

describe('renderSchemaValidators', () => {
  it.each(Object.keys(rendered))('%s is checked in as the schemas generate it', (file) => {
    const checkedIn = readFileSync(join(GENERATED_DIR, file), 'utf8');
    expect(
      checkedIn === rendered[file]
        ? 'up to date'
        : `${file} is stale: run npm run generate:schemas`,
    ).toBe('up to date');
  });

  it('checks in nothing else, so a removed validator leaves no file behind', () => {
    expect(readdirSync(GENERATED_DIR).sort()).toEqual(Object.keys(rendered).sort());
  });

  it.each(Object.keys(rendered).filter((file) => file.endsWith('.js')))(
    '%s needs only the runtime helpers of ajv, never its compiler',
    (file) => {
      const required = [...(rendered[file] ?? '').matchAll(/require\("([^"]+)"\)/g)].map(
        ([, id]) => id,
      );
      expect(required.filter((id) => !id?.startsWith('ajv/dist/runtime/'))).toEqual([]);
    },
  );
});
