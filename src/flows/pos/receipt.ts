/** Receipts of counter sales: JSON for the POS client, and a printable HTML page. */
import { channelSettings, getChannel } from '../../modules/channels/index.ts';
import { getCustomer } from '../../modules/customers/index.ts';
import { getLocation } from '../../modules/locations/index.ts';
import { getOrder, linesOf } from '../../modules/orders/index.ts';
import { paymentsOfOrders } from '../../modules/payments/index.ts';
import type { PosSaleRow } from '../../modules/pos/index.ts';
import type { Queryable } from '../../platform/db.ts';
import { PlazaError } from '../../platform/errors.ts';
import { formatMoney } from '../../platform/money.ts';
import { nameOf } from './sale.ts';
import type { Receipt } from './schema.ts';

/** The receipt of a completed sale (INVALID_STATE_TRANSITION before it is paid). */
export const receiptOf = async (q: Queryable, sale: PosSaleRow): Promise<Receipt> => {
  const order = sale.order_id ? await getOrder(q, sale.order_id) : undefined;
  if (sale.status !== 'completed' || !order) {
    throw new PlazaError(
      'INVALID_STATE_TRANSITION',
      `Sale ${sale.id} is ${sale.status}: no receipt until it is paid`,
      {
        status: sale.status,
      },
    );
  }
  const [lines, payments, store, channel, settings, customer] = await Promise.all([
    linesOf(q, [order.id]),
    paymentsOfOrders(q, [order.id]),
    getLocation(q, sale.location_id),
    getChannel(q, sale.channel_id),
    channelSettings(q, sale.channel_id),
    sale.customer_id ? getCustomer(q, sale.customer_id) : Promise.resolve(undefined),
  ]);
  const paid = payments.filter((p) => p.status === 'captured' || p.captured_amount > 0);
  return {
    receipt_number: order.number,
    sale_id: sale.id,
    order_id: order.id,
    issued_at: (sale.completed_at ?? order.updated_at).toISOString(),
    store: {
      id: sale.location_id,
      name: store?.name ?? sale.location_id,
      address: store
        ? [
            store.address_line1,
            store.address_line2,
            [store.city, store.region, store.postal_code].filter(Boolean).join(' '),
            store.country,
          ].filter((x): x is string => Boolean(x))
        : [],
      timezone: store?.timezone ?? 'UTC',
    },
    channel: { id: sale.channel_id, name: channel?.name ?? sale.channel_id },
    staff: { token_id: sale.staff_token_id, name: sale.staff_name },
    customer: customer ? { id: customer.id, email: customer.email, name: nameOf(customer) } : null,
    currency: order.currency,
    lines: lines.map((l) => ({
      sku: l.sku,
      title: l.title,
      quantity: l.quantity,
      unit_price: l.unit_price,
      discount: l.discount_amount,
      tax: l.tax_amount,
      total: l.total,
    })),
    subtotal: order.subtotal,
    discount_total: order.discount_total,
    tax_total: order.tax_total,
    tax_rate_bps: settings.tax_rate_bps,
    prices_include_tax: order.prices_include_tax,
    total: order.total,
    payments: paid.map((p) => {
      const cash = p.provider === 'cash' && sale.tendered !== null;
      return {
        provider: p.provider,
        display: p.display,
        amount: p.captured_amount,
        tendered: cash ? sale.tendered : null,
        change: cash ? (sale.tendered ?? 0) - p.captured_amount : null,
      };
    }),
    return_window_days: settings.return_window_days,
  };
};

const esc = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** A receipt as a self-contained printable HTML page (80 mm receipt printers and A4 alike). */
export const receiptHtml = (r: Receipt, locale = 'en-US'): string => {
  const money = (n: number) => esc(formatMoney(n, r.currency, locale));
  const when = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: r.store.timezone,
  });
  const rows = r.lines
    .map(
      (l) =>
        `<tr><td>${esc(l.title)}<br><small>${esc(l.sku)} · ${l.quantity} × ${money(l.unit_price)}</small></td>` +
        `<td class="n">${money(l.total)}</td></tr>`,
    )
    .join('\n');
  const pays = r.payments
    .map(
      (p) =>
        `<tr><td>${esc(p.display ?? p.provider)}</td><td class="n">${money(p.amount)}</td></tr>` +
        (p.tendered !== null ? `<tr><td>Tendered</td><td class="n">${money(p.tendered)}</td></tr>` : '') +
        (p.change !== null ? `<tr><td>Change</td><td class="n">${money(p.change)}</td></tr>` : ''),
    )
    .join('\n');
  const tax = r.prices_include_tax
    ? `Tax included (${(r.tax_rate_bps / 100).toFixed(2)} %)`
    : `Tax (${(r.tax_rate_bps / 100).toFixed(2)} %)`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Receipt ${r.receipt_number}</title>
<style>
  body { font: 13px/1.4 system-ui, sans-serif; max-width: 80mm; margin: 0 auto; padding: 8px; }
  h1 { font-size: 16px; margin: 0; } table { width: 100%; border-collapse: collapse; }
  td { padding: 2px 0; vertical-align: top; } .n { text-align: right; white-space: nowrap; }
  .total td { font-weight: bold; border-top: 1px solid #000; } hr { border: 0; border-top: 1px dashed #000; }
  @media print { body { padding: 0; } }
</style></head>
<body>
<h1>${esc(r.store.name)}</h1>
<div>${r.store.address.map(esc).join('<br>')}</div>
<hr>
<div>Receipt ${r.receipt_number} · ${esc(when.format(new Date(r.issued_at)))}</div>
<div>Served by ${esc(r.staff.name)}${r.customer ? ` · Customer ${esc(r.customer.name ?? r.customer.email ?? r.customer.id)}` : ''}</div>
<hr>
<table>
${rows}
<tr><td>Subtotal</td><td class="n">${money(r.subtotal)}</td></tr>
${r.discount_total ? `<tr><td>Discount</td><td class="n">−${money(r.discount_total)}</td></tr>` : ''}
<tr><td>${tax}</td><td class="n">${money(r.tax_total)}</td></tr>
<tr class="total"><td>Total</td><td class="n">${money(r.total)}</td></tr>
${pays}
</table>
<hr>
<div><small>Returns accepted within ${r.return_window_days} days at any of our stores. Order ${esc(r.order_id)}</small></div>
</body></html>
`;
};
