{{%AUTOESCAPE context="HTML"}}<div class="p-media gallery">
<img class="p-img" id="g-main" src="{{MAIN}}"{{#SRCSET}} srcset="{{CARD}} 320w, {{MAIN}} 800w" sizes="(max-width: 759px) 300px, 560px"{{/SRCSET}} alt="{{ALT}}" width="800" height="800" fetchpriority="high">
{{#THUMBS}}<ul class="g-thumbs">
{{#THUMB}}<li><a class="g-thumb" href="{{PAGE}}" data-srcset="{{CARD}} 320w, {{PAGE}} 800w" data-alt="{{LABEL}}"{{#SEL}} aria-current="true"{{/SEL}}><img src="{{SRC}}" alt="{{LABEL}}" width="96" height="96" loading="lazy"></a></li>{{/THUMB}}
</ul>
<script src="/static/gallery.js" defer></script>{{/THUMBS}}
</div>
