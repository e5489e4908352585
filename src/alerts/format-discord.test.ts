import { describe, expect, it } from 'vitest';
import { hostileAlert, sampleAlert } from '../../test/support/builders/alerts.js';
import { DISCORD_LIMITS, discordEmbedLength, formatDiscord } from './format-discord.js';
import { ELLIPSIS } from './text.js';

describe('formatDiscord', () => {
  it('renders one embed: title linking to Whop, summary, inline fields, footer, severity colour; no pings', () => {
    const payload = formatDiscord(sampleAlert());
    expect(payload.allowed_mentions).toEqual({ parse: [] });
    expect(payload.content).toBe('🚨 Urgent: Chargeback: $49.00 — respond by Mon 24 Mar');
    expect(payload.embeds).toHaveLength(1);
    const embed = payload.embeds[0]!;
    expect(embed).toMatchObject({
      title: 'Chargeback: $49.00 — respond by Mon 24 Mar',
      url: 'https://whop.com/dashboard/biz_4Tq8mXv2Lp/payments/pay_7Hq2VbN0rT',
      color: 0xdc2626,
      footer: { text: 'Dispute Autopilot · Urgent · biz_4Tq8mXv2Lp' },
    });
    expect(embed.description).toContain("The customer's bank opened a chargeback");
    expect(embed.fields[0]).toEqual({ name: 'Amount', value: '$49.00', inline: true });
    expect(embed.fields).toHaveLength(5);
    expect(formatDiscord(sampleAlert({ severity: 'warning' })).embeds[0]!.color).toBe(0xf59e0b);
    expect(formatDiscord(sampleAlert({ severity: 'info' })).embeds[0]!.color).toBe(0x3b82f6);
  });

  it('escapes markdown and breaks @everyone, @here and user mentions everywhere', () => {
    const payload = formatDiscord(hostileAlert());
    const embed = payload.embeds[0]!;
    const escaped =
      '<!channel> @\u200beveryone @\u200bhere <@\u200bU123> \\*bold\\* \\_it\\_ \\[click\\](https://evil.example) & <b>x</b>';
    expect(embed.description).toBe(`Reason: ${escaped}\n\\# not a heading\n\\> not a quote`);
    expect(embed.fields[0]!.value).toBe(escaped);
    expect(embed.title).toBe(`Chargeback: ${escaped}`);
    expect(payload.content).toBe(`🚨 Urgent: Chargeback: ${escaped}`);
    const all = JSON.stringify(payload);
    expect(all).not.toMatch(/@everyone|@here|<@U123>/);
    expect(payload.allowed_mentions.parse).toEqual([]);
  });

  it('keeps every Discord limit and the 6000-character total, dropping trailing fields and saying so', () => {
    const long = `${'*'.repeat(3000)}😀${'y'.repeat(9000)}`;
    const payload = formatDiscord(
      sampleAlert({
        title: `${'T'.repeat(300)}`,
        summary: long,
        fields: Array.from({ length: 40 }, (_, i) => ({ label: `${i}${'n'.repeat(400)}`, value: long })),
      }),
    );
    const embed = payload.embeds[0]!;
    expect(embed.title.length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    expect(embed.title.endsWith(ELLIPSIS)).toBe(true);
    expect(embed.description!.length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(embed.description).toMatch(/^(\\\*)+…$/);
    expect(embed.fields.length).toBeGreaterThan(0);
    expect(embed.fields.length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
    for (const f of embed.fields) {
      expect(f.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
      expect(f.value).toMatch(/^(\\\*)+…$/);
      expect(f.inline).toBe(false);
    }
    expect(discordEmbedLength(embed)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
    expect(embed.footer.text).toMatch(new RegExp(`· ${40 - embed.fields.length} more fields not shown$`));
    expect(payload.content.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
  });

  it('25 short fields fit; a 26th is dropped', () => {
    const fields = Array.from({ length: 26 }, (_, i) => ({ label: `F${i}`, value: `v${i}` }));
    const embed = formatDiscord(sampleAlert({ fields })).embeds[0]!;
    expect(embed.fields).toHaveLength(25);
    expect(embed.footer.text).toMatch(/1 more field not shown$/);
  });

  it('long content is cut within 2000 without splitting a surrogate pair; empty field text becomes —', () => {
    const payload = formatDiscord(
      sampleAlert({ title: '😀'.repeat(1500), fields: [{ label: '', value: ' ' }] }),
    );
    expect(payload.content.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
    expect(payload.content).toMatch(/😀…$/);
    expect(payload.embeds[0]!.title).toMatch(/😀…$/);
    expect(payload.embeds[0]!.fields[0]).toEqual({ name: '—', value: '—', inline: true });
  });

  it('no url for a missing or non-http link; no description for an empty summary', () => {
    const embed = formatDiscord(sampleAlert({ link: 'javascript:alert(1)', summary: '' })).embeds[0]!;
    expect(embed.url).toBeUndefined();
    expect(embed.description).toBeUndefined();
  });
});
