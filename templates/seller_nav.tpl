{{%AUTOESCAPE context="HTML"}}<nav class="seller-nav" aria-label="Seller center">
<strong>{{SELLER_NAME}}</strong>
<a href="/seller/">Home</a> <a href="/seller/listings">Listings</a> <a href="/seller/listings/new">New offer</a> <a href="/seller/products/new">New product</a> <a href="/seller/inventory-file">Inventory file</a> <a href="/seller/keys">API keys</a>
<a href="/seller/dashboard">Dashboard</a> <a href="/seller/orders">Orders</a> <a href="/seller/returns">Returns</a> <a href="/seller/ledger">Ledger</a>
</nav>
{{#SUSPENDED}}<p class="alert" role="alert">Your seller account is suspended: your offers are not shown to shoppers. Open orders still need shipping.</p>{{/SUSPENDED}}
