{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="seller">
{{>SELLER_NAV}}
<h1>Seller center</h1>
<ul class="stack">
<li><a href="/seller/listings">Your listings</a>: offers, prices, stock, withdraw or reactivate.</li>
<li><a href="/seller/listings/new">Offer an existing product</a> or <a href="/seller/products/new">create a new product</a>.</li>
<li><a href="/seller/inventory-file">Upload an inventory file</a> (CSV: sku,price,quantity[,warehouse]).</li>
<li><a href="/seller/keys">API keys</a> for the seller API (<code>/api/v1/seller/</code>).</li>
</ul>
</section>
{{>FOOTER}}
