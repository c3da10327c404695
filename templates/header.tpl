{{%AUTOESCAPE context="HTML"}}<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{#TITLED}}{{PAGE_TITLE}} · {{/TITLED}}Souk</title>
{{#CANONICAL}}<link rel="canonical" href="{{HREF}}">{{/CANONICAL}}
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/souk.css">
<script src="/static/typeahead.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<div class="wrap top-in">
<a class="logo" href="/"><img src="/static/favicon.svg" alt="" width="30" height="30"><span>Souk</span></a>
<form class="search-box" role="search" method="get" action="/search">
<input type="search" name="q" value="{{SEARCH_Q}}" maxlength="200" placeholder="Search products" aria-label="Search products">
<button class="btn btn-small" type="submit">Search</button>
</form>
<nav class="nav" aria-label="Main">
<a href="/c/">All categories</a>
<a href="/#best-sellers">Best sellers</a>
</nav>
<nav class="acct" aria-label="Account">
{{#SIGNED_IN}}<a href="/orders" title="{{EMAIL}}">Orders</a>{{#ADMIN}}<a href="/admin">Admin</a>{{/ADMIN}}<form class="inline" method="post" action="/logout"><input type="hidden" name="csrf" value="{{CSRF}}"><button class="linkish" type="submit">Sign out</button></form>{{/SIGNED_IN}}{{#SIGNED_OUT}}<a href="/login">Sign in</a>{{/SIGNED_OUT}}
<a class="cart-link" href="/cart">Cart <span class="count" id="cart-count">{{CART_COUNT}}</span></a>
</nav>
</div>
</header>
<main id="main" class="wrap">
