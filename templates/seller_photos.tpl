{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="seller">
{{>SELLER_NAV}}
<h1>Photos</h1>
<p class="muted"><strong>{{TITLE}}</strong> · <a href="{{HREF}}" id="product-link">product page</a></p>
{{#ERROR}}<p class="alert" role="alert" id="photo-error">{{MESSAGE}}</p>{{/ERROR}}
{{#ADDED}}<p class="notice" role="status">Photo added.</p>{{/ADDED}}
{{#DELETED}}<p class="notice" role="status">Photo deleted.</p>{{/DELETED}}
{{#FIRST}}<p class="notice" role="status">This photo is now the main picture.</p>{{/FIRST}}
{{#TILES}}<p class="muted" id="photos-tiles">No photos yet: the product page shows drawn pictures until you add one.</p>{{/TILES}}
{{#NONE}}<p class="muted" id="photos-none">No photos yet.</p>{{/NONE}}
<ol class="photo-grid" id="photos">
{{#PHOTO}}<li id="photo-{{NAME}}"><img src="{{SRC}}" alt="Photo {{N}}" width="160" height="160" loading="lazy">
{{#MAIN}}<span class="status">main picture</span>{{/MAIN}}
{{#NOT_MAIN}}<form class="inline-form" method="post" action="/seller/products/{{PID}}/photos/{{NAME}}/first"><input type="hidden" name="csrf" value="{{CSRF}}"><button class="btn btn-small" type="submit">Make main picture</button></form>{{/NOT_MAIN}}
<form class="inline-form" method="post" action="/seller/products/{{PID}}/photos/{{NAME}}/delete"><input type="hidden" name="csrf" value="{{CSRF}}"><button class="btn btn-small" type="submit">Delete</button></form></li>{{/PHOTO}}
</ol>
{{#CAN_ADD}}<h2>Add a photo</h2>
<p>JPEG, PNG or WebP, up to 10 MB and 40 megapixels; at most {{MAX}} photos. Souk makes the sizes the shop shows and removes what the file says about where and with what it was taken (EXIF, GPS).</p>
<form class="stack" method="post" action="/seller/products/{{PID}}/photos" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="{{CSRF}}">
<label for="photo">Photo</label><input id="photo" name="photo" type="file" accept="image/jpeg,image/png,image/webp" required>
<button class="btn" type="submit">Upload</button>
</form>{{/CAN_ADD}}
{{#FULL}}<p class="muted" id="photos-full">This product has {{MAX}} photos, the most it can have; delete one to add another.</p>{{/FULL}}
</section>
{{>FOOTER}}
