{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="seller">
{{>SELLER_NAV}}
<h1>Inventory file</h1>
{{#ERROR}}<p class="alert" role="alert">{{MESSAGE}}</p>{{/ERROR}}
<p>Upload a CSV (UTF-8) with the header <code>sku,price,quantity</code> or <code>sku,price,quantity,warehouse</code>. Prices in cents (<code>1999</code>) or dollars with a dot (<code>19.99</code>); an empty price or quantity is left as it is; the warehouse is one of yours (empty: your own). Each row is applied on its own: a bad row never blocks the good ones. At most 1 MB.</p>
<form class="stack" method="post" action="/seller/inventory-file" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="file">CSV file</label><input id="file" name="file" type="file" accept=".csv,text/csv" required>
<button class="btn" type="submit">Upload</button>
</form>
</section>
{{>FOOTER}}
