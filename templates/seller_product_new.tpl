{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="seller">
{{>SELLER_NAV}}
<h1>New product</h1>
{{#ERROR}}<p class="alert" role="alert" data-field="{{FIELD}}">{{MESSAGE}}</p>{{/ERROR}}
<form class="stack" method="post" action="/seller/products">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="title">Title</label><input id="title" name="title" maxlength="200" required value="{{TITLE}}">
<label for="brand">Brand</label><input id="brand" name="brand" maxlength="100" value="{{BRAND}}">
<label for="category_id">Category</label><select id="category_id" name="category_id"><option value="">Choose…</option>{{#CAT_OPT}}<option value="{{ID}}"{{#SEL}} selected{{/SEL}}>{{NAME}}</option>{{/CAT_OPT}}</select>
<label for="description">Description</label><textarea id="description" name="description" maxlength="5000" rows="4">{{DESCRIPTION}}</textarea>
<label for="bullets">Bullet points (one per line)</label><textarea id="bullets" name="bullets" maxlength="2000" rows="4">{{BULLETS}}</textarea>
<label for="images">Image URLs (one per line)</label><textarea id="images" name="images" rows="3">{{IMAGES}}</textarea>
<label for="shipping">Shipping ($)</label><input id="shipping" name="shipping" inputmode="decimal" value="{{SHIPPING}}">
<label for="condition">Condition</label><select id="condition" name="condition"><option>new</option><option>like_new</option><option>used</option><option>refurbished</option></select>
<label for="fulfillment">Fulfilment</label><select id="fulfillment" name="fulfillment"><option>FBM</option><option>FBA</option></select>
<fieldset><legend>Variants (at least one: sku and list price)</legend>
<table class="lines"><thead><tr><th scope="col">#</th><th scope="col">Sku</th><th scope="col">Size</th><th scope="col">Colour</th><th scope="col">List price ($)</th><th scope="col">Stock (FBM)</th></tr></thead><tbody>
{{#VROW}}<tr><td>{{N}}</td><td><input aria-label="variant {{N}} sku" id="v{{N}}_sku" name="v{{N}}_sku" maxlength="64" value="{{VSKU}}"></td><td><input aria-label="variant {{N}} size" name="v{{N}}_size" maxlength="40" value="{{VSIZE}}"></td><td><input aria-label="variant {{N}} colour" name="v{{N}}_color" maxlength="40" value="{{VCOLOR}}"></td><td><input aria-label="variant {{N}} list price" id="v{{N}}_price" name="v{{N}}_price" inputmode="decimal" value="{{VPRICE}}"></td><td><input aria-label="variant {{N}} stock" id="v{{N}}_quantity" name="v{{N}}_quantity" inputmode="numeric" value="{{VQTY}}"></td></tr>{{/VROW}}
</tbody></table>
</fieldset>
<button class="btn" type="submit">Create the product</button>
</form>
</section>
{{>FOOTER}}
