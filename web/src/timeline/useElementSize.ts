import { useCallback, useRef, useState } from 'react';

/** The element's size, followed through a callback ref (the element mounts after loading). */
export function useElementSize<T extends HTMLElement>() {
  const element = useRef<T | null>(null);
  const observer = useRef<ResizeObserver | null>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const ref = useCallback((node: T | null) => {
    observer.current?.disconnect();
    element.current = node;
    if (!node) return;
    const measure = () => {
      setSize({ width: node.clientWidth, height: node.clientHeight });
    };
    observer.current = new ResizeObserver(measure);
    observer.current.observe(node);
    measure();
  }, []);
  return { element, ref, size };
}
