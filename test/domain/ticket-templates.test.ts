import assert from 'node:assert/strict';
import {
  DEFAULT_DESCRIPTION_TEMPLATE,
  DEFAULT_TITLE_TEMPLATE,
  DESCRIPTION_TRUNCATION_NOTE,
  MAX_DESCRIPTION_LENGTH,
  MAX_TITLE_LENGTH,
  renderTemplate,
  TRUNCATION_MARK,
  renderTicketDescription,
  renderTicketTitle,
  type TemplateValues,
} from '../../domain/ticket-templates';

const values: TemplateValues = {
  device: 'SRV-01',
  alert: 'Disk space low',
  severity: 'critical',
  client: 'Acme Corp',
  description: 'C: is 95% full',
};

describe('domain/ticket-templates', () => {
  describe('renderTemplate', () => {
    it('replaces every known placeholder', () => {
      assert.equal(
        renderTemplate('{{device}}|{{alert}}|{{severity}}|{{client}}|{{description}}', values),
        'SRV-01|Disk space low|critical|Acme Corp|C: is 95% full',
      );
    });

    it('tolerates whitespace inside the braces', () => {
      assert.equal(renderTemplate('{{ device }} / {{\talert  }}', values), 'SRV-01 / Disk space low');
    });

    it('replaces repeated placeholders each time', () => {
      assert.equal(renderTemplate('{{device}}-{{device}}', values), 'SRV-01-SRV-01');
    });

    it('leaves unknown placeholders and non-placeholders as written', () => {
      assert.equal(
        renderTemplate('{{ticket}} {{Device}} {device} {{ }} {{device', values),
        '{{ticket}} {{Device}} {device} {{ }} {{device',
      );
    });

    it('renders missing and null values as empty strings', () => {
      assert.equal(renderTemplate('[{{client}}] {{description}}!', { client: null }), '[] !');
    });

    it('inserts values literally, never expanding placeholders inside them', () => {
      assert.equal(
        renderTemplate('{{description}}', { description: 'see {{client}} $& $1', client: 'Acme' }),
        'see {{client}} $& $1',
      );
    });

    it('returns a template without placeholders unchanged', () => {
      assert.equal(renderTemplate('Static title', values), 'Static title');
    });
  });

  describe('defaults', () => {
    it('has the documented default title', () => {
      assert.equal(DEFAULT_TITLE_TEMPLATE, '[{{severity}}] {{alert}} on {{device}}');
      assert.equal(renderTemplate(DEFAULT_TITLE_TEMPLATE, values), '[critical] Disk space low on SRV-01');
    });

    it('has a default description that mentions every placeholder', () => {
      for (const name of ['device', 'alert', 'severity', 'client', 'description']) {
        assert.ok(DEFAULT_DESCRIPTION_TEMPLATE.includes(`{{${name}}}`), name);
      }
      assert.equal(
        renderTemplate(DEFAULT_DESCRIPTION_TEMPLATE, values),
        'Level alert: Disk space low\nSeverity: critical\nDevice: SRV-01\nClient: Acme Corp\n\nC: is 95% full',
      );
    });
  });

  describe('renderTicketTitle / renderTicketDescription', () => {
    it('fall back to the defaults for missing or blank templates', () => {
      assert.equal(renderTicketTitle(undefined, values), '[critical] Disk space low on SRV-01');
      assert.equal(renderTicketTitle('   ', values), '[critical] Disk space low on SRV-01');
      assert.equal(renderTicketDescription(null, values), renderTemplate(DEFAULT_DESCRIPTION_TEMPLATE, values));
    });

    it('use a custom template when given', () => {
      assert.equal(renderTicketTitle('{{client}}: {{alert}}', values), 'Acme Corp: Disk space low');
      assert.equal(renderTicketDescription('Device {{device}}', values), 'Device SRV-01');
    });

    it('keep titles on one line', () => {
      assert.equal(
        renderTicketTitle('{{alert}} – {{description}}', { alert: 'A', description: 'line 1\nline 2\t x ' }),
        'A – line 1 line 2 x',
      );
    });

    it('trim a description whose last placeholder is empty', () => {
      assert.equal(renderTicketDescription(null, { ...values, description: null }).endsWith('Client: Acme Corp'), true);
    });
  });

  describe('bounds (a template cannot make the worker build a huge text)', () => {
    const huge = { ...values, description: 'd'.repeat(250_000) };
    const repeating = '{{description}}'.repeat(666);

    it(`cuts a description at ${MAX_DESCRIPTION_LENGTH} characters and says it was cut`, () => {
      const description = renderTicketDescription(repeating, huge);
      assert.equal(description.length, MAX_DESCRIPTION_LENGTH);
      assert.ok(description.endsWith(DESCRIPTION_TRUNCATION_NOTE));
    });

    it(`cuts a title at ${MAX_TITLE_LENGTH} characters with an ellipsis`, () => {
      const title = renderTicketTitle('{{alert}} {{description}}', huge);
      assert.equal(title.length, MAX_TITLE_LENGTH);
      assert.ok(title.endsWith(TRUNCATION_MARK));
      assert.ok(title.startsWith('Disk space low ddd'));
    });

    it('leaves texts that fit untouched (no mark)', () => {
      const exact = { description: 'x'.repeat(MAX_DESCRIPTION_LENGTH) };
      assert.equal(renderTicketDescription('{{description}}', exact), exact.description);
      assert.equal(
        renderTicketTitle('{{alert}}', { alert: 'y'.repeat(MAX_TITLE_LENGTH) }),
        'y'.repeat(MAX_TITLE_LENGTH),
      );
    });

    it('marks a title cut even when whitespace collapsing brings it under the limit', () => {
      const spaced = { description: ' '.repeat(MAX_TITLE_LENGTH * 4) + 'tail' };
      const title = renderTicketTitle('head{{description}}', spaced);
      assert.equal(title, `head${TRUNCATION_MARK}`);
    });
  });
});
