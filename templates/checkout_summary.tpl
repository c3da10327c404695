{{%AUTOESCAPE context="HTML"}}<aside class="summary" aria-label="Order summary">
<h2 class="h-small">Order summary</h2>
<ul class="sum-lines">
{{#LINE}}<li><span>{{QTY}} &times; {{TITLE}}{{#VARIANT}} <span class="muted small">({{TEXT}})</span>{{/VARIANT}}</span> <span class="num">${{TOTAL}}</span></li>{{/LINE}}
</ul>
<dl class="totals">
<dt>Items</dt><dd id="sum-subtotal">${{SUBTOTAL}}</dd>
{{#QUOTED}}<dt>Shipping</dt><dd id="sum-shipping">{{#FREE_SHIP}}Free{{/FREE_SHIP}}{{#PAID_SHIP}}${{SHIPPING}}{{/PAID_SHIP}}</dd>
<dt>Tax</dt><dd id="sum-tax">${{TAX}}</dd>
<dt class="grand">Order total</dt><dd class="grand" id="sum-total">${{TOTAL}}</dd>{{/QUOTED}}
</dl>
</aside>
