import { describe, expect, it } from 'vitest';
import { initialValues, readAnswer, serverErrors, taskFields } from './task-form';

const form = {
  type: 'object',
  properties: {
    decision: { type: 'string', enum: ['ship', 'hold'], title: 'Decision' },
    quantity: { type: 'integer', minimum: 1, maximum: 10 },
    price: { type: 'number', exclusiveMinimum: 0 },
    sku: { type: 'string', pattern: '^[A-Z]{3}-\\d+$', maxLength: 12 },
    notes: { type: 'string', maxLength: 2000, description: 'What you checked' },
    urgent: { type: 'boolean' },
    level: { enum: [1, 2, 3] },
    address: { type: 'object', properties: { city: { type: 'string' } } },
  },
  required: ['decision', 'quantity'],
};

describe('a task form from its JSON Schema', () => {
  it('has a field per property of a type it can render, and names the others', () => {
    const { fields, unsupported } = taskFields(form);
    expect(fields.map((f) => [f.name, f.type, f.required])).toEqual([
      ['decision', 'enum', true],
      ['quantity', 'integer', true],
      ['price', 'number', false],
      ['sku', 'string', false],
      ['notes', 'text', false],
      ['urgent', 'boolean', false],
      ['level', 'enum', false],
    ]);
    expect(fields[0]?.label).toBe('Decision');
    expect(fields[4]?.description).toBe('What you checked');
    expect(unsupported).toEqual(['address']);
  });

  it('checks values as the schema does', () => {
    const { fields } = taskFields({ ...form, properties: { ...form.properties, address: undefined } });
    const values = initialValues(fields);
    const empty = readAnswer(fields, values);
    expect(empty).toEqual({
      ok: false,
      errors: { decision: 'Decision is required', quantity: 'Quantity is required' },
    });
    const wrong = readAnswer(fields, {
      ...values,
      decision: 'burn',
      quantity: '2.5',
      price: '0',
      sku: 'abc-1',
    });
    expect(wrong).toEqual({
      ok: false,
      errors: {
        decision: 'Decision must be one of ship, hold',
        quantity: 'Quantity must be a whole number',
        price: 'Price must be more than 0',
        sku: 'Sku does not have the expected form',
      },
    });
    expect(readAnswer(fields, { ...values, decision: 'ship', quantity: '11' })).toMatchObject({
      ok: false,
      errors: { quantity: 'Quantity must be at most 10' },
    });
    expect(
      readAnswer(fields, {
        ...values,
        decision: 'hold',
        quantity: '3',
        sku: 'ABC-12',
        notes: 'Checked <b>stock</b>',
        urgent: true,
        level: '2',
      }),
    ).toEqual({
      ok: true,
      answer: {
        decision: 'hold',
        quantity: 3,
        sku: 'ABC-12',
        notes: 'Checked <b>stock</b>',
        urgent: true,
        level: 2,
      },
    });
  });

  it('puts the server’s refusal next to the fields it names', () => {
    const message =
      'the answer does not fit the form: /quantity: Instance has a value less than 1.; /: Instance does not have required property "decision".; /: something else';
    expect(serverErrors(message, ['decision', 'quantity'])).toEqual({
      quantity: 'Instance has a value less than 1.',
      decision: 'Instance does not have required property "decision".',
      '': 'something else',
    });
    expect(serverErrors('this task was already answered', ['decision'])).toEqual({
      '': 'this task was already answered',
    });
  });
});
