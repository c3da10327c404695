{{%AUTOESCAPE context="HTML"}}{{>HEADER}}
<section class="error-page">
<h1>{{HEADING}}</h1>
<p class="lead">{{MESSAGE}}</p>
<p>Your order number is <strong>{{PUBLIC_ID}}</strong>. Sign in to see it with your orders, or use the link in the most recent e-mail we sent about it.</p>
<p class="actions"><a class="btn" href="/login?next={{NEXT}}">Sign in</a> <a class="btn btn-ghost" href="/">Go to the home page</a></p>
</section>
{{>FOOTER}}
