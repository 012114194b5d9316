"use strict";
// Loaded before Redoc's bundle. Redoc's sidebar footer shows Redocly's logo from cdn.redoc.ly (no option turns it
// off), and the API docs load nothing from elsewhere (the CSP would refuse it, with a console error): an image
// whose source is on another host gets an empty data: URI instead, which fails to load, and Redoc then drops it.
// React sets an image's source both ways: the attribute, then the property.
(() => {
  const local = (value) => {
    const url = new URL(String(value), document.baseURI);
    const here = ["data:", "blob:"].includes(url.protocol) || url.origin === window.location.origin;
    return here ? value : "data:,";
  };
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    const img = this instanceof HTMLImageElement && String(name).toLowerCase() === "src";
    return setAttribute.call(this, name, img ? local(value) : value);
  };
  const src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    ...src,
    set(value) {
      src.set.call(this, local(value));
    },
  });
})();
