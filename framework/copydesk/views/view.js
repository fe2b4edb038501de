(function(){
var tip=document.getElementById('cd-tip');
function marksOf(f){return document.querySelectorAll('mark.m[data-f="'+f+'"]');}
function clear(){document.querySelectorAll('mark.m.hl').forEach(function(e){e.classList.remove('hl');});}
function show(m){
  var f=m.getAttribute('data-f'),item=document.getElementById(f);
  if(!item){return;}
  var note=item.querySelector('.note');
  tip.innerHTML=note?note.innerHTML:item.innerHTML;tip.hidden=false;
  clear();marksOf(f).forEach(function(e){e.classList.add('hl');});
  var r=m.getBoundingClientRect();
  var left=Math.max(4,Math.min(window.innerWidth-tip.offsetWidth-4,r.left));
  tip.style.left=(left+window.scrollX)+'px';tip.style.top=(r.bottom+window.scrollY+6)+'px';
}
function hide(){tip.hidden=true;clear();}
function markAt(t){var m=t&&t.closest?t.closest('mark.m'):null;return m&&!m.classList.contains('off')?m:null;}
document.addEventListener('mouseover',function(e){var m=markAt(e.target);if(m){show(m);}else if(!tip.contains(e.target)){hide();}});
document.addEventListener('focusin',function(e){var m=markAt(e.target);if(m){show(m);}else{hide();}});
document.addEventListener('keydown',function(e){if(e.key==='Escape'){hide();}});
document.querySelectorAll('input[data-toggle]').forEach(function(box){
  box.addEventListener('change',function(){
    var doc=box.closest('.cd-doc'),name=box.getAttribute('data-toggle');
    doc.querySelectorAll('mark.m').forEach(function(m){
      if(m.getAttribute('data-a')!==name){return;}
      m.classList.toggle('off',!box.checked);
      if(m.hasAttribute('data-first')){m.tabIndex=box.checked?0:-1;}
    });
    hide();
  });
});
})();
