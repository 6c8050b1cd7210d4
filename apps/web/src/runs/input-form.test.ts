import { describe, expect, it } from 'vitest';
import { humanize, inputFields, readInput } from './input-form';

const triage = {
  type: 'object',
  properties: {
    customerEmail: { type: 'string' },
    subject: { type: 'string' },
    orderTotal: { type: 'number' },
    count: { type: 'integer' },
    urgent: { type: 'boolean' },
    channel: { type: 'string', enum: ['mail', 'chat'] },
    extra: { type: 'object' },
  },
  required: ['customerEmail', 'subject', 'orderTotal'],
};

describe('inputFields', () => {
  it('makes one field per property, typed, labelled and marked required', () => {
    const fields = inputFields(triage);
    expect(fields?.map((f) => [f.name, f.label, f.type, f.required, f.inputType])).toEqual([
      ['customerEmail', 'Customer email', 'string', true, 'email'],
      ['subject', 'Subject', 'string', true, 'text'],
      ['orderTotal', 'Order total', 'number', true, 'text'],
      ['count', 'Count', 'integer', false, 'text'],
      ['urgent', 'Urgent', 'boolean', false, 'text'],
      ['channel', 'Channel', 'enum', false, 'text'],
      ['extra', 'Extra', 'json', false, 'text'],
    ]);
    expect(fields?.find((f) => f.name === 'channel')?.options).toEqual(['mail', 'chat']);
  });

  it.each([[{ type: 'array' }], [{ type: 'object', properties: {} }], [null], ['text']])(
    'asks for one JSON document for %j',
    (schema) => expect(inputFields(schema)).toBeNull(),
  );

  it('humanizes names', () => {
    expect(humanize('order_total')).toBe('Order total');
    expect(humanize('refundAmountUSD')).toBe('Refund amount usd');
  });
});

describe('readInput', () => {
  const fields = inputFields(triage) ?? [];
  it('parses numbers, booleans and JSON, and leaves empty optional fields out', () => {
    expect(
      readInput(fields, {
        customerEmail: 'ada@example.test',
        subject: ' Refund ',
        orderTotal: '120.5',
        count: '',
        urgent: true,
        extra: '{"a":1}',
      }),
    ).toEqual({
      ok: true,
      input: {
        customerEmail: 'ada@example.test',
        subject: ' Refund ',
        orderTotal: 120.5,
        urgent: true,
        extra: { a: 1 },
      },
    });
  });

  it('names every field that is missing or malformed', () => {
    expect(readInput(fields, { subject: 'x', orderTotal: 'lots', count: '1.5', extra: '{' })).toEqual({
      ok: false,
      errors: {
        customerEmail: 'Customer email is required',
        orderTotal: 'Order total must be a number',
        count: 'Count must be a whole number',
        extra: 'Extra is not valid JSON',
      },
    });
  });
});
