/** The shop's category menu: what the channel sells, from `GET /store/categories`, as links. */
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { unwrap } from '../kit/api.ts';
import { useShop } from './session.tsx';

/** The categories of the channel (cached for the visit; a menu changes rarely). */
export const useCategories = () => {
  const { api } = useShop();
  return useQuery({
    queryKey: ['catalog', 'categories'],
    queryFn: () => unwrap(api.GET('/store/categories')),
    staleTime: 5 * 60_000,
  });
};

export const CategoryMenu = ({ current }: { current: string | undefined }) => {
  const { t } = useTranslation();
  const categories = useCategories();
  // every category that has products here, by name (parents without products of their own are left out)
  const top = categories.data?.data ?? [];
  if (top.length === 0) return null;
  return (
    <nav className="shop-menu" aria-label={t('home.categories')}>
      <ul>
        <li>
          <Link to="/" aria-current={current === undefined ? 'page' : undefined}>
            {t('home.all')}
          </Link>
        </li>
        {top.map((c) => (
          <li key={c.id}>
            <Link to={`/?category=${c.id}`} aria-current={current === c.id ? 'page' : undefined}>
              {c.name}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
};
