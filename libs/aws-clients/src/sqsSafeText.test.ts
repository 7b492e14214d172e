import { sqsAttributeText, sqsSafeJson } from './sqsSafeText';

describe('sqsSafeJson', () => {
  it('escapes the non-characters SQS refuses, keeping the JSON value', () => {
    const json = JSON.stringify({ ref: 'C\uFFFF\uFFFE', ok: 'é日本🎉\t' });
    const safe = sqsSafeJson(json);
    expect(safe).toBe('{"ref":"C\\uffff\\ufffe","ok":"é日本🎉\\t"}');
    expect(JSON.parse(safe)).toEqual(JSON.parse(json));
  });

  it('leaves a text SQS accepts as it is', () => {
    const json = '{"type":"customer_message","customer_reference":"Zoë 🎉","number_of_orders":1}';
    expect(sqsSafeJson(json)).toBe(json);
  });
});

describe('sqsAttributeText', () => {
  it.each([
    ['batch 1', 'batch 1'],
    ['lot\u0001x', 'lot\\u0001x'],
    ['a\uFFFFb', 'a\\uffffb'],
    ['é 日本', 'é 日本'],
  ])('writes %j as %j', (value, expected) => {
    expect(sqsAttributeText(value)).toBe(expected);
  });

  it('gives no value for an empty text, which SQS refuses', () => {
    expect(sqsAttributeText('')).toBeUndefined();
  });
});
