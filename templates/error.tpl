{{%AUTOESCAPE context="HTML"}}{{>HEADER}}<section class="error"><h1>{{STATUS}} {{REASON}}</h1><p>{{MESSAGE}}</p><p><a href="/">Back to the shop</a></p></section>{{>FOOTER}}
