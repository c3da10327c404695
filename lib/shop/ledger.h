/* ledger: the double-entry books (docs/MARKETPLACE.md "Ledger and
 * payouts"): commission arithmetic, the postings of a capture and of a
 * refund (booked once each, by ref, in the caller's transaction), seller
 * balances and statements. Amounts are signed cents, positive = debit. */
#ifndef SOUK_LEDGER_H
#define SOUK_LEDGER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/ctx.h"
#include "store/db.h"

/* Registers the module's SQL; call once before serving. */
void ledger_register(void);

/* Commission on `gross` cents at `bps` basis points, rounded half up to
 * the cent: (gross * bps + 5000) / 10000. gross >= 0, 0 <= bps <= 10000. */
int64_t ledger_commission(int64_t gross, int bps);

/* floor(whole * part / of), the share of `whole` that `part` of `of`
 * units carry; exact at part == of, so shares taken cumulatively (what is
 * due after the k-th return minus what was booked) always add up to the
 * whole. 0 <= part <= of, of > 0. */
int64_t ledger_prorate(int64_t whole, int64_t part, int64_t of);

/* One line of a booking: which account (kind; seller for a payable), the
 * signed amount and what it is on a statement. */
typedef struct ledger_line {
	const char *account;   /* "clearing", "seller_payable", "commission", ... */
	int64_t seller_id;     /* seller_payable only, else 0 */
	int64_t amount;        /* signed cents, positive = debit */
	const char *kind;      /* "sale", "commission", "refund", ... */
	int64_t order_item_id; /* 0 when none */
} ledger_line;

/* An order item as the books see it. returned: units whose refund is
 * booked (or is being planned). */
typedef struct ledger_item {
	int64_t id, seller_id, unit_price;
	int qty, commission_bps, returned;
} ledger_item;

/* The postings of a capture of `amount` for items[0..n), shipping and
 * tax: clearing + amount; per item the seller's payable - gross (sale)
 * and + commission, commission revenue - commission; shipping and tax
 * payable credited. Writes at most 3n + 3 lines into out, returns the
 * count. The lines sum to amount - (subtotal + shipping + tax). */
int ledger_capture_lines(const ledger_item *items, int n, int64_t shipping, int64_t tax,
                         int64_t amount, ledger_line *out);

/* What has been reversed of an order so far, per item (gross, commission)
 * and for tax and shipping: the state a refund is planned against. */
typedef struct ledger_reversed {
	int64_t *gross, *commission; /* n each, by item index */
	int64_t tax, shipping;
} ledger_reversed;

/* The postings that bring an order's reversals up to its target: `full`
 * reverses everything (a cancel, a whole-order return), otherwise
 * items[i].returned units of each item, their share of the tax, and no
 * shipping. Lines: the seller's payable + gross (refund) and - commission
 * (commission_refund), commission revenue + commission, tax and shipping
 * debited, refunds credited with the total. Returns the count (at most
 * 3n + 3) and the refund total in *total. */
int ledger_refund_lines(const ledger_item *items, int n, int64_t subtotal, int64_t shipping,
                        int64_t tax, bool full, const ledger_reversed *done, ledger_line *out,
                        int64_t *total);

/* INSIDE the caller's transaction (joins one or opens its own): books what
 * the order's payment did and the books lack: its capture ("capture:<id>")
 * and each refund ("refund:<id>") in refund order; each once, however
 * often and from wherever it is called (the ledger consumer on the
 * payment.captured / payment.refunded its recording wrote, a return's
 * refund being planned). No-op when SOUK_LEDGER=off (bench). */
int ledger_book_order(ctx *c, int64_t order_id);

/* Takes the booking lock of every order in ids ("{1,2}"), in id order,
 * inside the caller's transaction: what a batch of bookings does first
 * (workers/ledger.c). */
int ledger_lock_orders(ctx *c, const char *ids);

/* The refund a return of return_items (return_id) would be: the items'
 * gross and their share of the tax not yet reversed. Books the order's
 * earlier refunds first if the ledger consumer has not yet, so they count
 * as reversed. */
int ledger_return_amount(ctx *c, int64_t order_id, int64_t return_id, int64_t *amount);

/* A seller's balance: total (what the platform owes), available (from
 * orders past the return window, less payouts) and pending (the rest). */
typedef struct ledger_balance {
	int64_t total, available, pending;
} ledger_balance;
int ledger_seller_balance(ctx *c, int64_t seller_id, ledger_balance *out);

/* A seller's statement, oldest first: id, at, kind, amount (as the
 * seller sees it: + owed to them), order public_id, running balance;
 * from/to are dates (YYYY-MM-DD, NULL = open). At most `limit` rows. */
db_res *ledger_statement(ctx *c, int64_t seller_id, const char *from, const char *to,
                         int64_t limit);

/* Writes a balanced transaction (ref unique: a second call with the same
 * ref writes nothing and sets *booked false) inside the caller's
 * transaction. kind: "capture", "refund", "payout", "reversal". */
int ledger_post(ctx *c, const char *kind, const char *ref, int64_t order_id, const char *memo,
                const ledger_line *lines, int n, bool *booked);

#endif
